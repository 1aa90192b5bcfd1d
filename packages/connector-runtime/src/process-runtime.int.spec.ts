import { existsSync, readdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleConnector } from './connector-bundle.ts';
import { recordData, runToEnd } from './contract-helpers.ts';
import { connectorRuntimeContract } from './contract-suite.ts';
import { createProcessRuntime } from './process-runtime.ts';

const runNode = promisify(execFile);
const FIXTURE_IMAGE = 'ferry/fixture-connector:test';
const fixture = fileURLToPath(new URL('../test/fixtures/connector.ts', import.meta.url));
const entryPoints = { [FIXTURE_IMAGE]: fixture };
const UNBUNDLABLE_IMAGE = 'ferry/unbundlable-connector:test';
const unbundlable = fileURLToPath(new URL('../test/fixtures/unbundlable-connector.ts', import.meta.url));
const validating = fileURLToPath(new URL('../test/fixtures/validating-connector.ts', import.meta.url));

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

  it('starts a connector from its one-file bundle once built, with the same messages as from its sources', async () => {
    const bundleDir = await mkdtemp(path.join(tmpdir(), 'ferry-bundles-'));
    try {
      const runtime = createProcessRuntime({ entryPoints, bundleDir });
      const run = async (mode: string) =>
        recordData(await runToEnd(runtime, { image: FIXTURE_IMAGE, command: 'read', config: { mode } }));
      const [fromSources] = (await run('args')) as { script: string }[];
      const inputs = await run('inputs');
      expect(fromSources?.script).toBe(fixture); // the first run does not wait for the bundle
      // The runtime switches once its bundler has exited; until then runs keep starting from the sources.
      let fromBundle = fromSources;
      for (const deadline = Date.now() + 60_000; fromBundle?.script === fixture && Date.now() < deadline; )
        [fromBundle] = (await run('args')) as { script: string }[];
      const bundles = readdirSync(bundleDir).filter((f) => f.endsWith('.mjs'));
      expect(bundles).toEqual([expect.stringMatching(/^ferry-fixture-connector-test-[0-9a-f]{32}\.mjs$/)]);
      expect(fromBundle?.script).toBe(path.join(bundleDir, bundles[0]!)); // what `ps` shows
      expect(await run('inputs')).toEqual(inputs);
      expect(await run('many')).toHaveLength(1000);
      await rm(fromBundle!.script);
      const [afterRemoval] = (await run('args')) as { script: string }[];
      expect(afterRemoval?.script).toBe(fixture); // started from its sources while it is bundled again
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  });

  it('keeps starting a connector from its sources when it cannot be bundled', async () => {
    const bundleDir = await mkdtemp(path.join(tmpdir(), 'ferry-bundles-'));
    try {
      const runtime = createProcessRuntime({ entryPoints: { [UNBUNDLABLE_IMAGE]: unbundlable }, bundleDir });
      const script = async () =>
        recordData(await runToEnd(runtime, { image: UNBUNDLABLE_IMAGE, command: 'spec' }));
      expect(await script()).toEqual([{ script: unbundlable }]);
      // The same build the runtime started on the first run fails: nothing is left to switch to.
      await expect(bundleConnector(unbundlable, bundleDir, UNBUNDLABLE_IMAGE)).rejects.toThrow(
        /ferry-package-that-is-not-installed/,
      );
      expect(await script()).toEqual([{ script: unbundlable }]);
      expect(readdirSync(bundleDir)).toEqual([]);
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  });

  it("keeps zod's English messages in a bundle, and no other language's", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-bundles-'));
    try {
      const bundle = await bundleConnector(validating, dir, 'ferry/validating-connector:test');
      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ count: -1 }));
      const check = async (script: string) =>
        (await runNode(process.execPath, [script, 'check', '--config', path.join(dir, 'config.json')]))
          .stdout;
      const fromSources = await check(validating);
      expect(fromSources).toContain('invalid configuration: count: Too small: expected number to be >=0');
      expect(await check(bundle)).toBe(fromSources);
      expect((await readFile(bundle, 'utf8')).includes('Zeichen')).toBe(false); // from zod's German messages
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not bundle into a directory others may write to', async () => {
    const bundleDir = await mkdtemp(path.join(tmpdir(), 'ferry-bundles-'));
    try {
      await chmod(bundleDir, 0o777);
      await expect(bundleConnector(fixture, bundleDir, FIXTURE_IMAGE)).rejects.toThrow(/not this user's own/);
      expect(readdirSync(bundleDir)).toEqual([]);
      await chmod(bundleDir, 0o700);
      expect(path.dirname(await bundleConnector(fixture, bundleDir, FIXTURE_IMAGE))).toBe(bundleDir);
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  });
});
