// The scheduler at scale (issue 10, P5): 10,000 connections on 1-minute basic schedules, their first due
// times spread over a minute, with the jobs scheduler of services/jobs on the real in-process bus and a
// SQLite event store. Config and jobs are stand-ins on the bus (the real ones are measured by bench/api.ts):
// they answer the scheduled connections and each connection's jobs from memory, and a requested sync
// becomes a job that succeeds 1 s later, recorded as the jobs service records it (JobCreated and
// AttemptSucceeded in `job-<id>`). Measured: the fire delay (the sync request's time minus its due time) of
// every sync due while it runs (one due and not fired by the end counts with its delay so far); the process's
// CPU while it runs; then its CPU while idle, with 10,000 connections on hourly schedules that all just
// synced. Writes "## Scheduler" in docs/benchmarks.md.
//   node bench/scheduler.ts [connections] [seconds]      (default 10000 70)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus } from '@ferry/bus';
import { HEADER, type JobRead, operationById, subjectOf } from '@ferry/contracts';
import { createSqliteEventStore } from '../packages/event-store-sqlite/src/index.ts';
import { startScheduler } from '../services/jobs/src/scheduler/index.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets } from './targets.ts';

const CONNECTIONS = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 70);
const IDLE_SECONDS = 10;
const TICK_MS = 10_000; // Ferry's default FERRY_SCHEDULER_TICK_MS
const metadata = () => ({
  actor: 'bench',
  correlationId: 'bench',
  causationId: null,
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
});

async function world(unit: 'minutes' | 'hours', endedAt: (i: number) => number) {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-scheduler-'));
  const bus = createInProcessBus();
  const events = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const connections = Array.from({ length: CONNECTIONS }, (_, i) => ({
    connectionId: `c${i}`,
    status: 'active' as const,
    scheduleType: 'basic' as const,
    schedule: { units: 1, timeUnit: unit },
    cron: null,
  }));
  const jobs = new Map<string, JobRead[]>();
  let nextJob = 1;
  const addJob = (configId: string, createdAt: number, status: JobRead['status']) => {
    const job: JobRead = {
      id: nextJob++,
      configType: 'sync',
      configId,
      createdAt,
      updatedAt: createdAt,
      status,
    };
    jobs.set(configId, [job, ...(jobs.get(configId) ?? [])]);
    return job;
  };
  for (const [i, c] of connections.entries()) addJob(c.connectionId, endedAt(i), 'succeeded');
  const fires: number[] = [];
  /** Each connection's due time not fired yet (epoch ms): when the run ends, those past count as late. */
  const unfired = new Map(connections.map((c, i) => [c.connectionId, (endedAt(i) + 60) * 1000]));
  const handle = (id: Parameters<typeof operationById>[0], answer: (body: never) => unknown) =>
    bus.handle(subjectOf(operationById(id)), async (payload) => ({ body: await answer(payload as never) }));
  await handle('listScheduledConnections', () => ({ connections }));
  await handle('listJobsFor', ({ configType, configId }: { configType: string; configId: string }) => ({
    jobs: configType === 'sync' ? (jobs.get(configId) ?? []).map((job) => ({ job, attempts: [] })) : [],
  }));
  await bus.handle(subjectOf(operationById('syncConnection')), async (payload, { headers }) => {
    const { connectionId } = payload as { connectionId: string };
    const dueAt = Number(
      String(headers[HEADER.idempotencyKey] ?? '')
        .split(':')
        .at(-1),
    );
    fires.push(Date.now() - dueAt * 1000);
    unfired.delete(connectionId);
    const job = addJob(connectionId, Math.floor(Date.now() / 1000), 'running');
    const stream = `job-${job.id}`;
    const data = { jobId: job.id, configType: 'sync', configId: connectionId, createdAt: job.createdAt };
    await events.append(
      stream,
      [{ id: crypto.randomUUID(), type: 'JobCreated', data, metadata: metadata() }],
      'no_stream',
    );
    setTimeout(() => {
      Object.assign(job, { status: 'succeeded', updatedAt: Math.floor(Date.now() / 1000) });
      if (unit === 'minutes') unfired.set(connectionId, (job.updatedAt + 60) * 1000);
      const ended = { jobId: job.id, attempt: 1, at: job.updatedAt };
      // Caught: the run may have ended, and closed the store, meanwhile.
      const succeeded = {
        id: crypto.randomUUID(),
        type: 'AttemptSucceeded',
        data: ended,
        metadata: metadata(),
      };
      events.append(stream, [succeeded], 0).catch(() => undefined);
    }, 1_000);
    return { body: { job, attempts: [] } };
  });
  const errors: unknown[] = [];
  const scheduler = startScheduler({ bus, events, tickMs: TICK_MS, onError: (e) => errors.push(e) });
  return {
    fires,
    errors,
    /** How late each due sync not fired by now is. */
    late: () => [...unfired.values()].filter((at) => at <= Date.now()).map((at) => Date.now() - at),
    async stop() {
      await scheduler.stop();
      await bus.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const cpuShare = async (seconds: number) => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / (performance.now() - started);
};

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function main() {
  const load = loadavg()[0]!.toFixed(1);
  const now = Math.floor(Date.now() / 1000);
  // Ended a minute ago, spread over a minute: due from 5 s from now, over the next 60 s.
  const busy = await world('minutes', (i) => now - 55 + Math.floor((i * 60) / CONNECTIONS));
  const runCpu = await cpuShare(SECONDS);
  const fired = busy.fires.length;
  const late = busy.late();
  const measured = [...busy.fires, ...late];
  const errors = busy.errors.length;
  await busy.stop();
  const idle = await world('hours', () => Math.floor(Date.now() / 1000));
  await new Promise((resolve) => setTimeout(resolve, 5_000)); // the first look at every connection
  const idleCpu = await cpuShare(IDLE_SECONDS);
  await idle.stop();
  const ms = (v: number) => `${thousands(v)} ms`;
  const section = [
    '## Scheduler',
    '',
    `\`node bench/scheduler.ts ${CONNECTIONS} ${SECONDS}\`: ${thousands(CONNECTIONS)} connections on 1-minute schedules, due times spread`,
    `over a minute, for ${SECONDS} s (tick ${TICK_MS / 1000} s, Ferry's default); then ${thousands(CONNECTIONS)} on hourly schedules, none due, for`,
    `${IDLE_SECONDS} s. The jobs scheduler on the in-process bus and a SQLite event store; config and jobs answer from memory.`,
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    table(
      ['figure', 'value', 'target'],
      [
        ['syncs fired', thousands(fired), ''],
        ['syncs due and not fired by the end (counted with their delay so far)', thousands(late.length), ''],
        ['fire delay p50', ms(quantile(measured, 0.5)), ''],
        ['fire delay p99', ms(quantile(measured, 0.99)), '≤ 1,000 ms'],
        ['fire delay max', ms(quantile(measured, 1)), ''],
        ['CPU while firing (one core = 100 %)', `${(runCpu * 100).toFixed(1)} %`, ''],
        ['CPU while idle', `${(idleCpu * 100).toFixed(1)} %`, '≤ 2 %'],
        ['errors', String(errors), '0'],
      ],
      [false, true, true],
    ),
    '',
  ].join('\n');
  await writeSection('Scheduler', section);
  const p99 = quantile(measured, 0.99);
  await recordTargets('scheduler', [
    {
      target: 'P5',
      figure: `fire delay p99, ${thousands(CONNECTIONS)} connections on 1-minute schedules`,
      measured: ms(p99),
      goal: '≤ 1,000 ms',
      met: p99 <= 1000 && errors === 0,
    },
    {
      target: 'P5',
      figure: `CPU while idle, ${thousands(CONNECTIONS)} connections none due (one core = 100 %)`,
      measured: `${(idleCpu * 100).toFixed(1)} %`,
      goal: '≤ 2 %',
      met: idleCpu <= 0.02,
    },
  ]);
  process.stdout.write(`${section}\n`);
}

await main();
