import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Bus, createInProcessBus, type Subscription } from '@ferry/bus';
import {
  type AttemptOutcome,
  type AttemptProgress,
  operationById,
  RUNNER_CANCEL_SUBJECT,
  type SyncAttemptRequest,
  subjectOf,
} from '@ferry/contracts';
import { contextFromHeaders, createOperationClient } from '@ferry/rpc';
import { createSecretSealer, fixedKeyring, secretKeyOf } from '@ferry/secrets';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configured, connectorChildren, IMAGES, syncSandbox } from '../test/sync-support.ts';
import { type RunnerService, startRunnerService } from './module.ts';

let box: Awaited<ReturnType<typeof syncSandbox>>;
let bus: Bus;
let runner: RunnerService;
const sealer = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
beforeAll(async () => {
  box = await syncSandbox();
});
afterAll(() => box.remove());
beforeEach(async () => {
  bus = createInProcessBus();
  runner = await startRunnerService({
    bus,
    runtime: box.runtime,
    sealer,
    report: { deadlineMs: 5000, firstDelayMs: 50 },
  });
});
afterEach(async () => {
  await runner.stop();
  await bus.close();
});

/** The jobs service's side of the contract, as the runner sees it: it records what it is told. */
async function jobsSide(options: { cancelled?: boolean; outcomes?: boolean } = {}) {
  const beats: AttemptProgress[] = [];
  const outcomes: AttemptOutcome[] = [];
  const handle = (id: 'reportAttemptProgress' | 'reportAttemptOutcome', answer: (p: never) => unknown) =>
    bus.handle(subjectOf(operationById(id)), (payload) => ({ body: answer(payload as never) }));
  const progress = await handle('reportAttemptProgress', (p: AttemptProgress) => {
    beats.push(p);
    return { cancelled: options.cancelled ?? false };
  });
  let outcome: Subscription | undefined;
  const answerOutcomes = async () => {
    outcome = await handle(
      'reportAttemptOutcome',
      (o: AttemptOutcome) => outcomes.push(o) && { recorded: true },
    );
  };
  if (options.outcomes !== false) await answerOutcomes();
  const ended = async () => {
    while (outcomes.length === 0) await sleep(20);
    return outcomes[0]!;
  };
  return {
    beats,
    outcomes,
    ended,
    answerOutcomes,
    stop: () => Promise.all([progress.unsubscribe(), outcome?.unsubscribe()]),
  };
}

const call = () => createOperationClient(bus);
const ctx = contextFromHeaders({});
const users = [configured('users', 'full_refresh', 'overwrite')];
const fakerRequest = (count: number, heartbeatIntervalMs = 50): SyncAttemptRequest => ({
  ...box.request({ image: IMAGES.faker, config: { count } }, IMAGES.json, users),
  jobId: 7,
  heartbeatIntervalMs,
});
const started = async (jobs: Awaited<ReturnType<typeof jobsSide>>) => {
  while (!jobs.beats.some((b) => b.recordsSynced > 0)) await sleep(20);
};

describe('runner service: sync attempts', () => {
  it('accepts at once, beats with the counts so far, and reports the outcome', async () => {
    const jobs = await jobsSide();
    const request = fakerRequest(100_000);
    expect(await call()('runSyncAttempt', request, ctx)).toEqual({ accepted: true });
    expect(jobs.outcomes).toEqual([]);
    const outcome = await jobs.ended();
    expect(outcome).toMatchObject({
      jobId: 7,
      attempt: request.attempt,
      succeeded: true,
      recordsSynced: 100_000,
    });
    expect(outcome.state).toEqual({ streams: {} });
    const counts = jobs.beats.map((b) => b.recordsSynced);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const log = await readFile(request.logPath, 'utf8');
    expect(log).toMatch(/sync succeeded \(100000 records/);
  });

  it('stops the attempt when a cancel for its job is published, leaving no process behind', async () => {
    const jobs = await jobsSide();
    await call()('runSyncAttempt', fakerRequest(5_000_000), ctx);
    await started(jobs);
    await bus.publish(RUNNER_CANCEL_SUBJECT, { jobId: 8 }); // another job: nothing happens
    await bus.publish(RUNNER_CANCEL_SUBJECT, { jobId: 7 });
    expect(await jobs.ended()).toMatchObject({ succeeded: false, failureReason: 'cancelled' });
    expect(connectorChildren()).toEqual([]);
  });

  it('stops the attempt when a heartbeat is answered with cancelled', async () => {
    const jobs = await jobsSide({ cancelled: true });
    await call()('runSyncAttempt', fakerRequest(5_000_000), ctx);
    expect(await jobs.ended()).toMatchObject({ succeeded: false, failureReason: 'cancelled' });
    expect(connectorChildren()).toEqual([]);
  });

  it('keeps trying to report the outcome while the jobs service is away', async () => {
    const jobs = await jobsSide({ outcomes: false });
    const reset = { ...box.request(null, IMAGES.json, users), jobId: 9 };
    await call()('runSyncAttempt', reset, ctx);
    await sleep(1500); // the reset is long over; its outcome finds no responder
    await jobs.answerOutcomes();
    expect(await jobs.ended()).toMatchObject({ jobId: 9, succeeded: true });
    expect(await readFile(reset.logPath, 'utf8')).toMatch(/could not report the outcome .*retrying/);
  });

  it('stops its attempts when the runner stops; they end failed, to be retried', async () => {
    const jobs = await jobsSide();
    await call()('runSyncAttempt', fakerRequest(5_000_000), ctx);
    await started(jobs);
    await runner.stop();
    expect(jobs.outcomes).toEqual([
      expect.objectContaining({ succeeded: false, failureReason: 'runner stopped' }),
    ]);
    expect(connectorChildren()).toEqual([]);
  });
});

describe('runner service: sealed secrets', () => {
  const spec = { properties: { secret: { type: 'string', airbyte_secret: true } } };

  it('opens a sealed configuration only for the connector, keeping the secret out of the log', async () => {
    const jobs = await jobsSide();
    const secret = `s3cret-${randomUUID()}`;
    const config = sealer.seal({ count: 20, secret }, spec);
    const request = { ...box.request({ image: IMAGES.fixture, config }, IMAGES.json, users), jobId: 11 };
    expect(JSON.stringify(request)).not.toContain(secret);
    await call()('runSyncAttempt', request, ctx);
    expect(await jobs.ended()).toMatchObject({ jobId: 11, succeeded: true, recordsSynced: 20 });
    const log = await readFile(request.logPath, 'utf8');
    // The fixture prints the secret it was given: unsealed for it, scrubbed from the log.
    expect(log).toMatch(/connecting with password \*{10}/);
    expect(log).not.toContain(secret);
  });

  it('fails a command whose secrets no key of its keyring opens, without running the connector', async () => {
    const stranger = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
    const request = {
      jobId: 12,
      attempt: 0,
      image: IMAGES.fixture,
      command: 'check' as const,
      config: stranger.seal({ secret: 'unknown-key' }, spec),
      logPath: `${box.root}/logs/command.log`,
      timeoutMs: 5_000,
    };
    const result = await call()('runConnectorCommand', request, ctx);
    expect(result).toMatchObject({ succeeded: false, output: null });
    expect(result.failureReason).toMatch(/^secrets\.key_missing: no secret key opens/);
  });
});
