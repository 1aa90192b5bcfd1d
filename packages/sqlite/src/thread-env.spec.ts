import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const index = join(import.meta.dirname, 'index.ts');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** What `threadEnv()` gives a thread in a fresh Node process, after `before` ran there. */
const threadCacheOf = (before: string) => {
  const script = `${before}\nconst { threadEnv } = await import(${JSON.stringify(index)});\nprocess.stdout.write(JSON.stringify(threadEnv().NODE_COMPILE_CACHE ?? null));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string | null;
};

describe('threadEnv', () => {
  it("names the compile cache the process enabled, so a thread's modules load from it too", () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-compile-cache-'));
    const cache = threadCacheOf(
      `import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(dir)});`,
    );
    expect(cache).toContain(dir);
  });

  it('adds nothing when the process has no compile cache', () => {
    expect(threadCacheOf('')).toBeNull();
  });
});
