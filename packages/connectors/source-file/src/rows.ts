import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseCsv } from '@ferry/local-files';
import { resolveLocalPath } from '@ferry/protocol';
import type { FileConfig } from './spec.ts';

/** The real path of the configured file, or why it cannot be read. */
export async function readablePath(config: FileConfig): Promise<string> {
  const resolved = resolveLocalPath(config.path, { allowRelative: true });
  if (!resolved.ok) throw new Error(resolved.reason);
  if (!(await stat(resolved.path)).isFile()) throw new Error(`${config.path} is not a file`);
  await access(resolved.path, constants.R_OK);
  return resolved.path;
}

/** CSV cells as strings keyed by the header; columns the header lacks get `column_<n>` names. */
async function* csvRows(file: string): AsyncIterable<Record<string, string | null>> {
  let header: string[] | undefined;
  for await (const cells of parseCsv(createReadStream(file))) {
    if (!header) {
      header = cells.map((h, i) => h || `column_${i + 1}`);
      continue;
    }
    const row: Record<string, string | null> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? null;
    yield row;
  }
}

async function* jsonlRows(file: string): AsyncIterable<Record<string, unknown>> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${n} is not JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`line ${n} is not a JSON object`);
    }
    yield value as Record<string, unknown>;
  }
}

/** The file's rows, streamed: CSV cells are still strings here, JSON Lines values already typed. */
export function fileRows(file: string, format: FileConfig['format']): AsyncIterable<Record<string, unknown>> {
  return format === 'csv' ? csvRows(file) : jsonlRows(file);
}
