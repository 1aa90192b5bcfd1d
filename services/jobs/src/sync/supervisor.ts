import { HEADER, principal } from '@ferry/contracts';
import { contextFromHeaders } from '@ferry/rpc';
import { epochSeconds, type JobsDeps } from '../handlers/deps.ts';
import { endAttempt } from '../handlers/run-job.ts';
import { TERMINAL } from '../job/job.ts';
import { readLedger } from '../ledger/ledger-stream.ts';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import { dispatchAttempt } from './dispatch.ts';
import { releaseIfEnded } from '../ledger/ledger-stream.ts';

const CONNECTION_JOBS = ['sync', 'reset_connection'];
const CONNECTOR_JOBS = [
  'get_spec',
  'check_connection_source',
  'check_connection_destination',
  'discover_schema',
];

/**
 * Keeps the promise that no job is left `running` without a live runner, and that failed attempts are
 * retried: every tick it fails attempts whose heartbeat stopped (lease), starts due retries and jobs that
 * were created but never dispatched (a crash in between), and frees the ledger of ended jobs. Several
 * supervisors may run: every change goes through the job's stream, so only one of them makes it.
 */
export const startSupervisor = (deps: JobsDeps, onError: (e: unknown) => void) => {
  const ctx = () => contextFromHeaders({ [HEADER.actor]: principal.supervisor });
  const now = () => epochSeconds();
  const lost = async (job: JobDoc) => {
    const attempt = job.attempts.at(-1);
    if (!attempt) return;
    const isConnector = CONNECTOR_JOBS.includes(job.configType);
    const limit = isConnector ? deps.connectorTimeoutMs + 30_000 : deps.sync.leaseMs;
    if ((now() - attempt.updatedAt) * 1000 < limit) return;
    const reason = isConnector
      ? 'abandoned: the service running it stopped'
      : `runner lost: no heartbeat for ${Math.round(limit / 1000)} s`;
    await endAttempt(
      deps,
      job.jobId,
      attempt.number,
      { succeeded: false, failureReason: reason, output: null },
      ctx(),
    );
    await releaseIfEnded(deps, job.jobId, ctx());
  };
  const retryDue = async (job: JobDoc) => {
    const last = job.attempts.at(-1);
    const since = last?.endedAt ?? job.createdAt;
    const wait = last ? deps.sync.backoffMs(job.attempts.length) : deps.sync.heartbeatIntervalMs * 2;
    if ((now() - since) * 1000 >= wait) await dispatchAttempt(deps, job.jobId, ctx());
  };
  const releaseEnded = async () => {
    const ledger = await readLedger(deps);
    for (const { jobId } of Object.values(ledger.active)) {
      const job = await deps.reads.get<JobDoc>(COLLECTION.jobs, String(jobId));
      if (job && TERMINAL.has(job.status)) await releaseIfEnded(deps, jobId, ctx());
    }
  };
  const tick = async () => {
    const running = await deps.reads.find<JobDoc>(COLLECTION.jobs, { where: { status: 'running' } });
    for (const job of running) await lost(job).catch(onError);
    const waiting = await deps.reads.find<JobDoc>(COLLECTION.jobs, {
      where: { status: ['pending', 'incomplete'], configType: CONNECTION_JOBS },
    });
    for (const job of waiting) await retryDue(job).catch(onError);
    await releaseEnded().catch(onError);
  };
  let current: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    current = current.then(tick).catch(onError);
  }, deps.sync.supervisorTickMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
};
