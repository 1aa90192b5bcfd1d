import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';
import { until } from './support/until.ts';

/** Issue "Syncs that move data", item 6: schedules, through the API, with a fast scheduler tick. */
let ferry: TestFerry;

const syncJobs = async (connectionId: string) =>
  (await ferry.post('/v1/jobs/list', { configType: 'sync', configId: connectionId })).json.jobs as Array<{
    job: { id: number; status: string };
  }>;

beforeAll(async () => {
  ferry = await startTestFerry({ FERRY_SCHEDULER_TICK_MS: '300', FERRY_SYNC_HEARTBEAT_MS: '300' });
}, 60_000);

afterAll(async () => {
  await ferry?.stop();
});

describe('schedules', () => {
  it('a connection scheduled every minute syncs on its own, then waits for the interval', async () => {
    const sourceId = await createFakerSource(ferry, 'scheduled faker', { count: 20, seed: 3 });
    const destinationId = await createLocalDestination(ferry, 'JSON', 'scheduled json');
    const connectionId = await createConnection(ferry, sourceId, destinationId, {
      schedule: { units: 1, timeUnit: 'minutes' },
    });
    const done = await until(async () => {
      const jobs = await syncJobs(connectionId);
      return jobs.find((j) => j.job.status === 'succeeded');
    }, 30_000);
    expect(done.job.status).toBe('succeeded');
    // The next one is due a minute after this one ended: several ticks pass without a second sync.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await syncJobs(connectionId)).toHaveLength(1);
    const read = await ferry.post('/v1/connections/get', { connectionId });
    expect(read.json.scheduleType).toBe('basic');
    expect(read.json.scheduleData.basicSchedule).toEqual({ units: 1, timeUnit: 'minutes' });
  });

  it('a manual connection never syncs on its own', async () => {
    const sourceId = await createFakerSource(ferry, 'manual faker', { count: 5, seed: 4 });
    const destinationId = await createLocalDestination(ferry, 'JSON', 'manual json');
    const connectionId = await createConnection(ferry, sourceId, destinationId, { schedule: null });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await syncJobs(connectionId)).toHaveLength(0);
  });

  it('cron schedules are validated: a bad expression or time zone is a 422 naming the field', async () => {
    const sourceId = await createFakerSource(ferry, 'cron faker', { count: 5, seed: 5 });
    const destinationId = await createLocalDestination(ferry, 'JSON', 'cron json');
    const create = (cron: { cronExpression: string; cronTimeZone: string }) =>
      ferry.post('/v1/connections/create', {
        sourceId,
        destinationId,
        syncMode: 'full_refresh',
        status: 'active',
        scheduleType: 'cron',
        scheduleData: { cron },
      });
    const bad = await create({ cronExpression: '61 * * * *', cronTimeZone: 'UTC' });
    expect(bad.status).toBe(422);
    expect(bad.json.validationErrors[0].propertyPath).toBe('scheduleData.cron.cronExpression');
    expect((await create({ cronExpression: '0 3 * * MON', cronTimeZone: 'Mars/Olympus' })).status).toBe(422);
    const good = await create({ cronExpression: '0 3 * * MON', cronTimeZone: 'Europe/Paris' });
    expect(good.status, good.text).toBe(200);
    expect(good.json.scheduleType).toBe('cron');
    expect(good.json.schedule).toBeNull();
  });
});
