import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordData, runToEnd } from './contract-helpers.ts';
import { connectorRuntimeContract } from './contract-suite.ts';
import { createProcessRuntime } from './process-runtime.ts';

const FIXTURE_IMAGE = 'ferry/fixture-connector:test';
const fixture = fileURLToPath(new URL('../test/fixtures/connector.ts', import.meta.url));
const entryPoints = { [FIXTURE_IMAGE]: fixture };

connectorRuntimeContract(
  'process',
  ({ localRoot, killGraceMs }) => createProcessRuntime({ entryPoints, localRoot, killGraceMs }),
  FIXTURE_IMAGE,
);

describe('process runtime', () => {
  it('passes the files by absolute path, readable by this user only, and removes them afterwards', async () => {
    const runtime = createProcessRuntime({ entryPoints });
    const outcome = await runToEnd(runtime, {
      image: FIXTURE_IMAGE,
      command: 'read',
      config: { mode: 'args' },
    });
    const [args] = recordData(outcome) as { args: string[]; modes: number[] }[];
    const configPath = args?.args[2] as string;
    expect(path.isAbsolute(configPath)).toBe(true);
    expect(args?.modes).toEqual([0o700, 0o600]);
    expect(existsSync(path.dirname(configPath))).toBe(false);
  });

  it("keeps the connectors' compiled code in the compile cache it is given", async () => {
    const compileCacheDir = await mkdtemp(path.join(tmpdir(), 'ferry-compile-cache-'));
    try {
      const runtime = createProcessRuntime({ entryPoints, compileCacheDir });
      const outcome = await runToEnd(runtime, { image: FIXTURE_IMAGE, command: 'spec' });
      expect(outcome.exit.code).toBe(0);
      expect(await readdir(compileCacheDir)).not.toEqual([]);
    } finally {
      await rm(compileCacheDir, { recursive: true, force: true });
    }
  });
});
