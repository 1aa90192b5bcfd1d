import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection } from 'nats';
import { ChunkAssembly, CHUNK_HEADER, parseChunkMark } from './chunks.ts';
import { TRANSPORT_HEADER } from './nats-liveness.ts';
import { chunkSizeOf, publishInChunks } from './nats-reply.ts';
import type { Headers } from './port.ts';

/**
 * Events as NATS messages. One that fits is one plain JSON message, as any NATS client expects. One
 * larger than the server's max payload goes out as consecutive chunks on its subject, each carrying the
 * event's headers, `ferry-message-id` and `ferry-chunk: <index>/<count>`; a plain client concatenates
 * the bodies. Chunks of one event reach a subscriber in order, but a queue group may spread them over its
 * members, so a large event needs a subscriber of its own (docs/bus.md).
 */
export function publishEvent(nc: NatsConnection, subject: string, data: Uint8Array, headers: Headers = {}) {
  const large = data.length > chunkSizeOf(nc);
  publishInChunks(
    nc,
    subject,
    data,
    large ? { ...headers, [TRANSPORT_HEADER.messageId]: randomUUID() } : headers,
  );
}

/** Incomplete events kept at most per subscription: chunks of a publisher that died are dropped after. */
const MAX_OPEN_ASSEMBLIES = 64;

/**
 * A subscription's reassembly of chunked events: `accept` answers the whole body, or `null` while chunks are
 * missing. A chunk that does not continue its event (one was lost) drops that event, reported by throwing.
 */
export function eventAssembler() {
  const open = new Map<string, ChunkAssembly>();
  return (msg: Msg): Uint8Array | null => {
    const mark = parseChunkMark(msg.headers?.get(CHUNK_HEADER));
    const id = msg.headers?.get(TRANSPORT_HEADER.messageId);
    if (!mark || !id) return msg.data;
    let assembly = open.get(id);
    if (!assembly) {
      if (open.size >= MAX_OPEN_ASSEMBLIES) open.delete(open.keys().next().value as string);
      assembly = new ChunkAssembly();
      open.set(id, assembly);
    }
    try {
      const whole = assembly.add(mark, msg.data);
      if (whole) open.delete(id);
      return whole;
    } catch (error) {
      open.delete(id);
      throw error;
    }
  };
}
