import { type AirbyteMessage, type ConfiguredAirbyteCatalog, state } from '@ferry/protocol';
import type { FakerConfig } from './spec.ts';
import { firstRowAfter, STREAMS, updatedAtOf } from './streams.ts';

const CURSOR_FIELD = ['updated_at'];

/** RECORD lines are handed to the output in strings of about this size: one write per batch, not per row. */
const BATCH_CHARS = 64 * 1024;

type StreamStates = Record<string, { cursor_field: string[]; cursor: unknown }>;

function previousStreams(input: Record<string, unknown> | undefined): StreamStates {
  const streams = input?.streams;
  return streams && typeof streams === 'object' ? { ...(streams as StreamStates) } : {};
}

/**
 * Emits the configured streams in catalog order. Incremental streams resume after the saved `updated_at`
 * and checkpoint every `records_per_slice` rows; state entries of streams not read this time are kept.
 * Records come as batches of lines, each the text JSON.stringify prints for `record(stream, row, emittedAt)`.
 */
export async function* readFaker(
  config: FakerConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: Record<string, unknown> | undefined,
): AsyncIterable<AirbyteMessage | string> {
  const streams = previousStreams(input);
  for (const configured of catalog.streams) {
    const fake = STREAMS.find((s) => s.stream.name === configured.stream.name);
    if (!fake) throw new Error(`unknown stream ${configured.stream.name}`);
    const name = fake.stream.name;
    const incremental = configured.sync_mode === 'incremental';
    const from = incremental ? firstRowAfter(streams[name]?.cursor) : 0;
    const head = `{"type":"RECORD","record":{"stream":${JSON.stringify(name)},"data":`;
    let emittedAt = Date.now();
    let batch = '';
    for (let i = from; i < config.count; i++) {
      batch += `${head}${fake.row(config.seed, i, config.count)},"emitted_at":${emittedAt}}}\n`;
      const checkpoint = incremental && (i + 1 - from) % config.records_per_slice === 0;
      if (batch.length >= BATCH_CHARS || checkpoint) {
        yield batch;
        batch = '';
      }
      if (checkpoint) {
        streams[name] = { cursor_field: CURSOR_FIELD, cursor: updatedAtOf(i) };
        yield state({ streams: { ...streams } });
        emittedAt = Date.now();
      }
    }
    if (batch !== '') yield batch;
    if (incremental && config.count > from)
      streams[name] = { cursor_field: CURSOR_FIELD, cursor: updatedAtOf(config.count - 1) };
  }
  yield state({ streams });
}
