import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '@ferry/bus/testing';
import { loadSettings, startFerry, type RunningFerry } from '@ferry/ferry';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakerIntoLocalJson, httpApi, ok, untilJobEnds } from './support/jobs.ts';

/**
 * A sync asked for while no runner is up waits as `pending` without using up its attempts, and runs as soon
 * as a runner joins (issue "Syncs that move data": jobs are never lost to a runner outage).
 */
let nats: Awaited<ReturnType<typeof startNatsServer>>;
let dir: string;
const started: RunningFerry[] = [];

const start = async (services: string) => {
  const settings = loadSettings({
    FERRY_SERVICES: services,
    NATS_URL: nats.url,
    FERRY_PORT: '0',
    FERRY_HOST: '127.0.0.1',
    FERRY_DATA_DIR: join(dir, 'data'),
    LOCAL_ROOT: join(dir, 'local'),
    FERRY_SYNC_HEARTBEAT_MS: '300',
    FERRY_SYNC_MAX_ATTEMPTS: '1',
    FERRY_SCHEDULER_TICK_MS: '0',
    LOG_LEVEL: 'silent',
  });
  const ferry = await startFerry(settings, pino({ level: 'silent' }));
  started.push(ferry);
  return ferry;
};

beforeAll(async () => {
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'ferry-outage-'));
}, 60_000);

afterAll(async () => {
  for (const ferry of started.reverse()) await ferry.stop();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a runner outage', () => {
  it('keeps a sync pending, with no attempt spent, until a runner joins', async () => {
    // Connector commands (spec, check, discover) need a runner too: set the connection up with one first.
    const setup = await start('runner');
    const control = await start('gateway,config,jobs');
    const api = httpApi(control.url!);
    const { connectionId } = await fakerIntoLocalJson(api, 200, 'outage');
    await setup.stop();
    started.splice(started.indexOf(setup), 1);

    const sync = await ok(api, 'connections/sync', { connectionId });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = await ok(api, 'jobs/get', { id: sync.job.id });
    expect(waiting.job.status).toBe('pending');
    expect(waiting.attempts).toHaveLength(0);

    await start('runner');
    const done = await untilJobEnds(api, sync.job.id, 20_000);
    expect(done.job.status).toBe('succeeded');
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0].attempt.recordsSynced).toBe(200);
  });
});
