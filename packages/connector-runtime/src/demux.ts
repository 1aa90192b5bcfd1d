import { once } from 'node:events';
import type { Writable } from 'node:stream';

const HEADER_BYTES = 8;
const STDOUT = 1;
const STDERR = 2;

/**
 * Splits Docker's multiplexed attach stream (frames of an 8-byte header — stream id, 3 zero bytes, payload
 * length big-endian — then the payload) into stdout and stderr, and ends both when the stream ends.
 * Unlike dockerode's demuxStream it waits for a slow consumer: reading stops while `stdout` or `stderr` is
 * full, so backpressure reaches the container instead of piling output up in memory.
 */
export async function demux(input: AsyncIterable<Buffer>, stdout: Writable, stderr: Writable): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of input) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER_BYTES) {
        const end = HEADER_BYTES + pending.readUInt32BE(4);
        if (pending.length < end) break;
        const target = pending[0] === STDERR ? stderr : pending[0] === STDOUT ? stdout : undefined;
        const payload = pending.subarray(HEADER_BYTES, end);
        pending = pending.subarray(end);
        // A consumer that stopped reading (destroyed its side) no longer holds the connector up.
        if (target && !target.destroyed && !target.write(payload)) await drainedOrClosed(target);
      }
    }
  } finally {
    stdout.end();
    stderr.end();
  }
}

async function drainedOrClosed(target: Writable): Promise<void> {
  const ac = new AbortController();
  const options = { signal: ac.signal };
  await Promise.race([once(target, 'drain', options), once(target, 'close', options)]).catch(() => {});
  ac.abort();
}
