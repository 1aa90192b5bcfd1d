import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProcessRuntime } from '@ferry/connector-runtime';
import type { SyncAttemptRequest } from '@ferry/contracts';
import { manifest as localJson } from '@ferry/destination-local-json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configured, sync } from '../test/sync-support.ts';
import { runConnectorCommand } from './connector-command.ts';

/** Errors that say why (issue 12, part B): a failing connector's own words reach the answer, secrets scrubbed. */
const FAILING = 'ferry/test-failing-connector:0.1.0';
const JSON_DESTINATION = `${localJson.dockerRepository}:${localJson.dockerImageTag}`;
const secret = `s3cret-${process.pid}-${Date.now()}`;
let root: string;
let runtime: ReturnType<typeof createProcessRuntime>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ferry-connector-errors-'));
  runtime = createProcessRuntime({
    entryPoints: {
      [FAILING]: path.join(import.meta.dirname, '..', 'test', 'fixtures', 'failing-connector.ts'),
      [JSON_DESTINATION]: localJson.entryPoint,
    },
    localRoot: root,
    killGraceMs: 200,
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

let runs = 0;
const command = (mode: string, c: 'check' | 'discover' = 'check', limits = {}, timeoutMs = 20_000) =>
  runConnectorCommand(
    runtime,
    {
      jobId: 1,
      attempt: runs++,
      image: FAILING,
      command: c,
      config: { mode, secret },
      logPath: path.join(root, 'logs', `command-${runs}.log`),
      timeoutMs,
    },
    [secret],
    limits,
  );

describe('a failing spec, check or discover says why', () => {
  it('quotes the last lines of stderr when the connector printed no message, secrets scrubbed', async () => {
    for (const c of ['check', 'discover'] as const) {
      const result = await command('stderr', c);
      expect(result).toMatchObject({ succeeded: false, output: null });
      expect(result.failureReason).toBe(
        'connector exited with code 1: starting up\nloading driver\nFATAL: password authentication failed for user "ferry" (password **********)',
      );
    }
  });

  it("answers with the connector's TRACE error rather than its stderr", async () => {
    const result = await command('trace', 'discover');
    expect(result.failureReason).toBe(
      'connector exited with code 1: Could not reach the API with token **********',
    );
  });

  it('stops a connector that hangs at its time limit, and says which limit', async () => {
    const result = await command('hang', 'check', {}, 500);
    expect(result.failureReason).toBe(
      'connector stopped: it ran longer than 500 ms, the time limit of check (FERRY_CONNECTOR_TIMEOUT_MS)',
    );
  });

  it('stops a connector that floods stdout or stderr at its output limit, and says which limit', async () => {
    for (const mode of ['flood-stdout', 'flood-stderr']) {
      const result = await command(mode, 'discover', { outputLimitBytes: 1024 * 1024 });
      expect(result.failureReason, mode).toBe(
        'connector stopped: it printed more than 1 MiB of output, its limit',
      );
    }
  });
});

describe('a failing sync says why', () => {
  const request = (mode: string): SyncAttemptRequest => ({
    jobId: 2,
    attempt: runs++,
    kind: 'sync',
    connectionId: '00000000-0000-4000-8000-000000000002',
    source: { image: FAILING, config: { mode, secret } },
    destination: { image: JSON_DESTINATION, config: { destination_path: '/local/out' } },
    catalog: { streams: [configured('fixture', 'full_refresh', 'overwrite')] },
    state: null,
    logPath: path.join(root, 'logs', `sync-${runs}.log`),
    heartbeatIntervalMs: 1000,
  });

  it("fails the attempt with the source's TRACE error, also in the log (scrubbed)", async () => {
    const { result, log } = await sync(runtime, request('trace'), { secrets: [secret] });
    expect(result.succeeded).toBe(false);
    // runAttempt scrubs the reason before it reports it (service.int.spec.ts); the log is scrubbed as written.
    expect(result.failureReason).toBe(
      `source exited with code 1: Could not reach the API with token ${secret}`,
    );
    expect(log).toMatch(/source TRACE ERROR > Could not reach the API/);
    expect(log).not.toContain(secret);
  });

  it('stops a source that floods its log at the limit, and says which limit', async () => {
    const started = request('flood-stderr');
    const { result } = await sync(runtime, started, { secrets: [secret], logLimitBytes: 1024 * 1024 });
    expect(result.failureReason).toBe(
      'the source was stopped: it printed more than 1 MiB of log output (stderr and messages besides records and states), its limit',
    );
  });
});
