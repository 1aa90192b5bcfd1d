import { type AirbyteMessage, type ConfiguredAirbyteCatalog, record } from '@ferry/protocol';
import { fileRows, readablePath } from './rows.ts';
import { csvConverter, inferStream, SAMPLE_ROWS } from './schema.ts';
import type { FileConfig } from './spec.ts';

export async function discoverFile(config: FileConfig) {
  const file = await readablePath(config);
  const sample: Record<string, unknown>[] = [];
  for await (const row of fileRows(file, config.format)) {
    sample.push(row);
    if (sample.length >= SAMPLE_ROWS) break;
  }
  return { streams: [inferStream(config, sample)] };
}

/** Full refresh of the one stream, streamed row by row; a catalog without it reads nothing. */
export async function* readFile(
  config: FileConfig,
  catalog: ConfiguredAirbyteCatalog,
): AsyncIterable<AirbyteMessage> {
  const configured = catalog.streams.find((s) => s.stream.name === config.stream_name);
  if (!configured) return;
  const file = await readablePath(config);
  const convert = config.format === 'csv' ? csvConverter(configured.stream.json_schema) : undefined;
  const emittedAt = Date.now();
  for await (const row of fileRows(file, config.format)) {
    yield record(config.stream_name, convert ? convert(row) : row, emittedAt);
  }
}
