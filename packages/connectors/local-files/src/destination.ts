import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  type ConnectorHandlers,
  type ConnectorSpecification,
  cleanedName,
  log,
  resolveLocalPath,
  type TextInput,
} from '@ferry/protocol';
import * as z from 'zod';
import type { RawFormat } from './format.ts';
import { openRawFile, type RawFile } from './raw-file.ts';

export const LocalDestinationConfig = z.object({ destination_path: z.string().min(1) });
export type LocalDestinationConfig = z.infer<typeof LocalDestinationConfig>;

function outputDir(config: LocalDestinationConfig): string {
  const resolved = resolveLocalPath(config.destination_path);
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.path;
}

/** An explicit destination_sync_mode wins; without one, full refresh replaces and incremental appends. */
export function overwrites(s: ConfiguredAirbyteStream): boolean {
  return s.destination_sync_mode ? s.destination_sync_mode === 'overwrite' : s.sync_mode === 'full_refresh';
}

/** Where a stream's records go: `<dir>/_airbyte_raw_<cleaned stream>.<ext>`. */
export function rawFilePath(dir: string, stream: string, format: RawFormat): string {
  return path.join(dir, `_airbyte_raw_${cleanedName(stream)}.${format.extension}`);
}

async function check(config: LocalDestinationConfig) {
  const dir = outputDir(config);
  await mkdir(dir, { recursive: true });
  const probe = path.join(dir, `.ferry-check-${process.pid}`);
  await writeFile(probe, '');
  await rm(probe, { force: true });
  return { status: 'SUCCEEDED' as const };
}

async function openAll(dir: string, catalog: ConfiguredAirbyteCatalog, format: RawFormat) {
  const files = new Map<string, RawFile>();
  const targets = new Map<string, string>();
  for (const s of catalog.streams) {
    const target = rawFilePath(dir, s.stream.name, format);
    const other = targets.get(target);
    if (other !== undefined)
      throw new Error(`streams ${other} and ${s.stream.name} would write the same file ${target}`);
    targets.set(target, s.stream.name);
    files.set(s.stream.name, await openRawFile(target, format, overwrites(s)));
  }
  return files;
}

/**
 * Writes every configured stream's records to its raw file. A STATE is echoed only after the records before
 * it are handed to the OS; overwritten files appear whole at the end (so a reset, with no records, leaves
 * each stream's file empty but for its header).
 */
async function* write(
  format: RawFormat,
  config: LocalDestinationConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<TextInput>,
): AsyncIterable<AirbyteMessage> {
  const dir = outputDir(config);
  await mkdir(dir, { recursive: true });
  const files = await openAll(dir, catalog, format);
  const unknown = new Set<string>();
  let committed = false;
  try {
    for await (const m of input) {
      if (m.type === 'RECORD') {
        const file = files.get(m.stream);
        if (file) {
          const pending = file.append(m.emittedAt, m.dataJson);
          if (pending) await pending;
        } else if (!unknown.has(m.stream)) {
          unknown.add(m.stream);
          yield log('WARN', `skipping records of stream ${m.stream}: it is not in the configured catalog`);
        }
      } else if (m.type === 'STATE') {
        for (const f of files.values()) await f.flush();
        yield m;
      }
    }
    for (const f of files.values()) await f.commit();
    committed = true;
  } finally {
    if (!committed) for (const f of files.values()) await f.abort();
  }
}

/** The handlers of a local file destination in the given format; the connector adds only its spec. */
export function localFilesDestination(
  format: RawFormat,
  spec: ConnectorSpecification,
): ConnectorHandlers<LocalDestinationConfig> {
  return {
    config: LocalDestinationConfig,
    spec: () => spec,
    check,
    discover: () => {
      throw new Error('discover is not supported by a destination');
    },
    // Records as text: their data is stored as the JSON text it came in, never parsed.
    writeText: (config, catalog, input) => write(format, config, catalog, input),
  };
}
