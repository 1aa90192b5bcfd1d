// The two baselines of bench/sync-throughput.ts: the source's raw output (its process alone, stdout drained
// as bytes), and the JSON-lines floor: a bare split of that same output into lines and a JSON.parse of each,
// the least any consumer of the protocol does.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds used so far by this process and by its children that have ended (Linux): unlike seconds of
 * wall time, they hardly move with the load of a shared machine.
 */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  // Fields after "pid (comm) " start at the 3rd; cutime and cstime are the 16th and 17th.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (user + system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / TICKS;
}

/** Runs `node <entryPoint> read` with the given inputs; resolves with its stdout and the seconds it took. */
export async function rawSourceOutput(
  entryPoint: string,
  config: unknown,
  catalog: unknown,
): Promise<{ output: Buffer; seconds: number; cpu: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-bench-source-'));
  try {
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
    await writeFile(path.join(dir, 'catalog.json'), JSON.stringify(catalog));
    const started = performance.now();
    const cpu = cpuSeconds();
    const child = spawn(process.execPath, [
      entryPoint,
      'read',
      ...['--config', path.join(dir, 'config.json'), '--catalog', path.join(dir, 'catalog.json')],
    ]);
    child.stdin.end();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const [code] = await once(child, 'close');
    if (code !== 0) throw new Error(`the source exited with code ${code}`);
    const seconds = (performance.now() - started) / 1000;
    return { output: Buffer.concat(chunks), seconds, cpu: cpuSeconds() - cpu };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Splits the output at each newline and parses every line; returns the seconds and the lines parsed. */
export function jsonLinesFloor(output: Buffer): { seconds: number; lines: number; cpu: number } {
  const started = performance.now();
  const cpu = cpuSeconds();
  let lines = 0;
  let start = 0;
  for (let nl = output.indexOf(10); nl !== -1; nl = output.indexOf(10, start)) {
    if (JSON.parse(output.toString('utf8', start, nl)) !== null) lines++;
    start = nl + 1;
  }
  return { seconds: (performance.now() - started) / 1000, lines, cpu: cpuSeconds() - cpu };
}
