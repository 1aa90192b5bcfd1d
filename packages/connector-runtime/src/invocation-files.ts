import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorInvocation } from './port.ts';

/** The connector's JSON inputs, written where only this user can read them (they hold secrets). */
export interface InvocationFiles {
  /** The private directory holding the files (0700). */
  dir: string;
  /** The command line after the program: `read --config <dir>/config.json --catalog ...`, seen from `root`. */
  args(root: string): string[];
  remove(): Promise<void>;
}

const INPUTS = ['config', 'catalog', 'state'] as const;

/** The inputs an invocation carries, each to become `<name>.json`. */
export const presentInputs = (invocation: ConnectorInvocation) =>
  INPUTS.filter((name) => invocation[name] !== undefined);

/** The command line after the program when the input files lie in `root`: `read --config <root>/config.json ...`. */
export const inputArgs = (invocation: ConnectorInvocation, root: string): string[] => [
  invocation.command,
  ...presentInputs(invocation).flatMap((name) => [`--${name}`, `${root}/${name}.json`]),
];

export async function writeInvocationFiles(invocation: ConnectorInvocation): Promise<InvocationFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-run-'));
  const present = presentInputs(invocation);
  try {
    for (const name of present) {
      await writeFile(path.join(dir, `${name}.json`), JSON.stringify(invocation[name]), {
        mode: 0o600,
        flag: 'wx',
      });
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    args: (root) => inputArgs(invocation, root),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
