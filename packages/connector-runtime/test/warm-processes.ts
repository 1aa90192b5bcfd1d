import { readdirSync, readFileSync } from 'node:fs';
import { WAITING_TITLE } from '../src/warm-connectors.ts';

const proc = (pid: number | string, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // gone meanwhile
  }
};

/** What `ps` shows as a process's command line. */
export const commandLine = (pid: number) => proc(pid, 'cmdline').replaceAll('\0', ' ').trim();

/** Whether a process is alive (a zombie counts as gone). */
export function alive(pid: number): boolean {
  const stat = proc(pid, 'stat');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Live processes whose parent is `parent` and that wait, started ahead, for a connector's run. */
export function waitingProcesses(parent = process.pid): number[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && alive(Number(pid)))
    .filter((pid) => {
      const stat = proc(pid, 'stat');
      return (
        Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent &&
        commandLine(Number(pid)).startsWith(WAITING_TITLE)
      );
    })
    .map(Number);
}
