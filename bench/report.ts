import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const REPORT = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const HEADER =
  '# Benchmarks\n\nFigures measured on the machine named in each section; rerun the script to refresh them.\n';

/** Replaces the section headed `## <title>` of docs/benchmarks.md (or adds it), leaving the others alone. */
export async function writeSection(title: string, section: string): Promise<void> {
  const text = existsSync(REPORT) ? await readFile(REPORT, 'utf8') : HEADER;
  const start = text.indexOf(`## ${title}`);
  const next = start === -1 ? -1 : text.indexOf('\n## ', start + 1);
  const before = start === -1 ? `${text.trimEnd()}\n\n` : text.slice(0, start);
  const after = next === -1 ? '' : text.slice(next + 1);
  await writeFile(REPORT, `${before}${section}${after ? `\n${after}` : ''}`);
}

export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** A markdown table whose columns are padded the way the formatter keeps them. */
export const table = (header: string[], rows: string[][], alignRight: boolean[]): string => {
  // Three at least: the formatter (biome) widens a narrower column's rule to `---`.
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (alignRight[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
};
