import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Longest stderr line passed on; the rest of a longer line is dropped so a connector cannot exhaust memory. */
export const MAX_LOG_LINE_CHARS = 64 * 1024;

/**
 * Calls `onLine` for every line of `input` (UTF-8, without the newline or a trailing CR) as it arrives, and
 * for a last line without newline. Resolves once the input has ended and every line was passed on.
 */
export async function forEachLine(input: Readable, onLine: (line: string) => void): Promise<void> {
  input.setEncoding('utf8'); // decodes characters split across chunks
  let partial = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  input.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = (lines.pop() ?? '').slice(0, MAX_LOG_LINE_CHARS);
    for (const line of lines) emit(line.slice(0, MAX_LOG_LINE_CHARS));
  });
  await finished(input).catch(() => {}); // a destroyed stream still passes on what it had
  if (partial !== '') emit(partial);
}
