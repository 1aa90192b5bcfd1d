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

export async function writeInvocationFiles(invocation: ConnectorInvocation): Promise<InvocationFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-run-'));
  const present = INPUTS.filter((name) => invocation[name] !== undefined);
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
    args: (root) => [invocation.command, ...present.flatMap((name) => [`--${name}`, `${root}/${name}.json`])],
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
