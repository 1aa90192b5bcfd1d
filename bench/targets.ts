// Issue 10's targets at a glance: each bench records the figures it measured against a target, and the
// table under "## Targets" in docs/benchmarks.md is rebuilt from every bench's last record, so one run of
// `npm run bench` refreshes it and a single bench run refreshes only its own rows.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { table, writeSection } from './report.ts';

const RESULTS = join(import.meta.dirname, 'results');

/** One figure of a target: what was measured, its ratio to the baseline of the same run, and the goal. */
export interface TargetFigure {
  /** The name for the target: P1 … P7. */
  target: string;
  figure: string;
  /** As shown, with its unit ("71.2 MB/s", "142 ms"). */
  measured: string;
  /** Against the baseline measured in the same run, when the target is a ratio. */
  ratio?: number;
  goal: string;
  met: boolean;
}

interface BenchRecord {
  bench: string;
  date: string;
  load: number;
  figures: TargetFigure[];
}

/** Saves `bench`'s figures (bench/results/<bench>.json) and rewrites the "Targets" section from all of them. */
export async function recordTargets(bench: string, figures: TargetFigure[]): Promise<void> {
  const record: BenchRecord = {
    bench,
    date: new Date().toISOString().slice(0, 10),
    load: Number(loadavg()[0]!.toFixed(1)),
    figures,
  };
  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, `${bench}.json`), `${JSON.stringify(record, null, 2)}\n`);
  await writeSection('Targets', targetsSection(await readRecords()));
}

async function readRecords(): Promise<BenchRecord[]> {
  if (!existsSync(RESULTS)) return [];
  const files = (await readdir(RESULTS)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => JSON.parse(await readFile(join(RESULTS, file), 'utf8')) as BenchRecord),
  );
}

const byTarget = (a: TargetFigure, b: TargetFigure) =>
  a.target.localeCompare(b.target, 'en', { numeric: true });

function targetsSection(records: BenchRecord[]): string {
  const rows = records
    .flatMap((record) => record.figures.map((figure) => ({ ...figure, record })))
    .sort(byTarget)
    .map(({ target, figure, measured, ratio, goal, met, record }) => [
      target,
      figure,
      measured,
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      goal,
      met ? 'met' : '**not met**',
      `${record.bench} (${record.date}, load ${record.load})`,
    ]);
  return `## Targets

Issue 10's targets, each figure from the last run of the bench named (\`npm run bench\` runs them all; each
bench also rewrites its own rows). Ratios are against a baseline measured in the same run (the bench's own
section below says which); the load average is the machine's when the bench ended. The sections below give
each bench's full figures and, where a target is not met, what limits it. The "(issue 10: …)" and
"(issue 10, second/third/fourth session: …)" sections further down were written during the work on a
machine shared with other work (load 5–25): their before/after ratios and CPU seconds hold, but where a
verdict there differs from this table, this table is the later and quieter measurement (the last section,
"Where issue 10 stands", reads it).

${table(['', 'figure', 'measured', 'ratio', 'target', '', 'bench'], rows, [false, false, true, true, false, false, false])}
`;
}
