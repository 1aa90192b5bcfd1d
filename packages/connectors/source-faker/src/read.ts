import { type AirbyteMessage, type ConfiguredAirbyteCatalog, state } from '@ferry/protocol';
import type { FakerConfig } from './spec.ts';
import { firstRowAfter, STREAMS, updatedAtOf } from './streams.ts';

const CURSOR_FIELD = ['updated_at'];

/**
 * RECORD lines are encoded as they are built into buffers of this size, each handed to the output whole: one
 * write per batch, not per row, and no long string for the output to flatten and encode (which, with the
 * garbage it left, was most of the source's time).
 */
const BATCH_BYTES = 64 * 1024;
/** Room past a batch's size for the line that fills it (rows are a few hundred bytes). */
const LINE_ROOM = 16 * 1024;
/** A UTF-16 code unit takes at most three bytes in UTF-8. */
const MAX_BYTES_PER_CHAR = 3;

type StreamStates = Record<string, { cursor_field: string[]; cursor: unknown }>;

function previousStreams(input: Record<string, unknown> | undefined): StreamStates {
  const streams = input?.streams;
  return streams && typeof streams === 'object' ? { ...(streams as StreamStates) } : {};
}

/**
 * Emits the configured streams in catalog order. Incremental streams resume after the saved `updated_at`
 * and checkpoint every `records_per_slice` rows; state entries of streams not read this time are kept.
 * Records come as batches of lines in UTF-8, each the text JSON.stringify prints for
 * `record(stream, row, emittedAt)`.
 */
export async function* readFaker(
  config: FakerConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: Record<string, unknown> | undefined,
): AsyncIterable<AirbyteMessage | Uint8Array> {
  const streams = previousStreams(input);
  for (const configured of catalog.streams) {
    const fake = STREAMS.find((s) => s.stream.name === configured.stream.name);
    if (!fake) throw new Error(`unknown stream ${configured.stream.name}`);
    const name = fake.stream.name;
    const incremental = configured.sync_mode === 'incremental';
    const from = incremental ? firstRowAfter(streams[name]?.cursor) : 0;
    const head = `{"type":"RECORD","record":{"stream":${JSON.stringify(name)},"data":`;
    let emittedAt = Date.now();
    let batch = Buffer.allocUnsafe(BATCH_BYTES + LINE_ROOM);
    let used = 0;
    for (let i = from; i < config.count; i++) {
      const line = `${head}${fake.row(config.seed, i, config.count)},"emitted_at":${emittedAt}}}\n`;
      const most = line.length * MAX_BYTES_PER_CHAR;
      if (used + most > batch.length) {
        if (used > 0) yield batch.subarray(0, used);
        batch = Buffer.allocUnsafe(BATCH_BYTES + Math.max(LINE_ROOM, most));
        used = 0;
      }
      used += batch.write(line, used);
      const checkpoint = incremental && (i + 1 - from) % config.records_per_slice === 0;
      if (used >= BATCH_BYTES || checkpoint) {
        yield batch.subarray(0, used);
        batch = Buffer.allocUnsafe(BATCH_BYTES + LINE_ROOM);
        used = 0;
      }
      if (checkpoint) {
        streams[name] = { cursor_field: CURSOR_FIELD, cursor: updatedAtOf(i) };
        yield state({ streams: { ...streams } });
        emittedAt = Date.now();
      }
    }
    if (used > 0) yield batch.subarray(0, used);
    if (incremental && config.count > from)
      streams[name] = { cursor_field: CURSOR_FIELD, cursor: updatedAtOf(config.count - 1) };
  }
  yield state({ streams });
}
