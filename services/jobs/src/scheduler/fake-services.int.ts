import type { Bus } from '@ferry/bus';
import {
  HEADER,
  operationById,
  subjectOf,
  unavailable,
  type JobRead,
  type OperationId,
} from '@ferry/contracts';
import type { ScheduledConnection } from './due.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Stand-ins for the config and jobs services on the bus (the real ones are tested on their own). The sync
 * answers slowly, so that a scheduler without a claim would ask for it twice.
 */
export const fakeServices = async (bus: Bus, clock: { ms: number }) => {
  const world = {
    connections: [] as ScheduledConnection[],
    jobs: [] as JobRead[],
    syncCalls: [] as { connectionId: string; actor: string | undefined; key: string | undefined }[],
    failNextSync: false,
  };
  const handle = (id: OperationId, answer: (body: Record<string, string>) => Promise<unknown> | unknown) =>
    bus.handle(subjectOf(operationById(id)), async (payload) => ({ body: await answer(payload as never) }));
  await handle('listScheduledConnections', () => ({ connections: world.connections }));
  await handle('listJobsFor', ({ configType, configId }) => ({
    jobs: world.jobs
      .filter((j) => j.configType === configType && j.configId === configId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((job) => ({ job, attempts: [] })),
  }));
  await bus.handle(subjectOf(operationById('syncConnection')), async (payload, { headers }) => {
    const { connectionId } = payload as { connectionId: string };
    world.syncCalls.push({ connectionId, actor: headers[HEADER.actor], key: headers[HEADER.idempotencyKey] });
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (world.failNextSync) {
      world.failNextSync = false;
      throw unavailable('jobs service is restarting');
    }
    const active = world.jobs.find((j) => j.configId === connectionId && j.status === 'running');
    const job: JobRead = active ?? {
      id: world.jobs.length + 1,
      configType: 'sync',
      configId: connectionId,
      createdAt: seconds(clock.ms),
      updatedAt: seconds(clock.ms),
      status: 'running',
    };
    if (!active) world.jobs.push(job);
    return { body: { job, attempts: [] } };
  });
  return world;
};

export const waitFor = async (condition: () => boolean, what: string, timeoutMs = 5_000) => {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
export const ticks = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
