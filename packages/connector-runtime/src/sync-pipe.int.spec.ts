import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeMessage } from '@ferry/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAnswers } from '../test/fixture-image.ts';
import { collect } from './contract-helpers.ts';
import { createDockerRuntime } from './docker-runtime.ts';
import type { ConnectorRuntime } from './port.ts';
import { createProcessRuntime } from './process-runtime.ts';

// The real built-in connectors, named by path: connector-runtime must not depend on the connectors it runs.
const connectors = fileURLToPath(new URL('../../connectors/', import.meta.url));
const buildImages = fileURLToPath(new URL('../../../scripts/build-images.sh', import.meta.url));
const SOURCE = 'ferry/source-faker:0.1.0';
const DESTINATION = 'ferry/destination-local-json:0.1.0';
const entryPoints = {
  [SOURCE]: `${connectors}source-faker/src/main.ts`,
  [DESTINATION]: `${connectors}destination-local-json/src/main.ts`,
};
const COUNT = 3000;
const STREAMS = ['users', 'products', 'purchases'];
const catalog = {
  streams: STREAMS.map((name) => ({
    stream: { name, json_schema: {} },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
};

/** What the runner does: source `read` into destination `write`, RECORD and STATE only, with backpressure. */
async function sync(runtime: ConnectorRuntime) {
  const source = await runtime.run({
    image: SOURCE,
    command: 'read',
    config: { count: COUNT, seed: 1 },
    catalog,
  });
  const destination = await runtime.run({
    image: DESTINATION,
    command: 'write',
    config: { destination_path: '/local/out' },
    catalog,
  });
  const piping = (async () => {
    for await (const line of source.messages) {
      if (line.kind !== 'message' || (line.message.type !== 'RECORD' && line.message.type !== 'STATE'))
        continue;
      const written = writeMessage(destination.stdin, line.message);
      if (written !== true) await written;
    }
    destination.stdin.end();
  })();
  const outcome = await collect(destination);
  await piping;
  return { source: await source.exit, destination: outcome };
}

async function expectRows(localRoot: string) {
  for (const stream of STREAMS) {
    const text = await readFile(path.join(localRoot, 'out', `_airbyte_raw_${stream}.jsonl`), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(COUNT);
  }
}

const reachable = await dockerAnswers();
const runtimes: [string, boolean, (localRoot: string) => Promise<ConnectorRuntime>][] = [
  ['process', true, async (localRoot) => createProcessRuntime({ entryPoints, localRoot })],
  [
    'docker',
    reachable,
    async (localRoot) => {
      await promisify(execFile)(buildImages, ['source-faker', 'destination-local-json']);
      return createDockerRuntime({ localRoot });
    },
  ],
];

describe.each(runtimes)('faker read piped into local-json write (%s runtime)', (_name, enabled, make) => {
  let localRoot: string;
  let runtime: ConnectorRuntime;
  beforeAll(async () => {
    if (!enabled) return;
    localRoot = await mkdtemp(path.join(tmpdir(), 'ferry-sync-local-'));
    runtime = await make(localRoot);
  }, 180_000);
  afterAll(() => (localRoot ? rm(localRoot, { recursive: true, force: true }) : undefined));

  it.skipIf(!enabled)('writes every record of every stream', async () => {
    const { source, destination } = await sync(runtime);
    expect(source).toEqual({ code: 0, signal: null });
    expect(destination.exit).toEqual({ code: 0, signal: null });
    expect(destination.messages.filter((m) => m.type === 'STATE').length).toBeGreaterThan(0);
    await expectRows(localRoot);
  });
});
