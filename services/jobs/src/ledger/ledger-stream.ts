import { DomainError } from '@ferry/contracts';
import { handleAndProject, readState } from '@ferry/eventsourcing';
import { commandContextOf, type RequestContext } from '@ferry/rpc';
import type { JobsDeps } from '../handlers/deps.ts';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import { TERMINAL } from '../job/job.ts';
import { LEDGER_STREAM, ledgerDecider, type LedgerCommand } from './ledger.ts';

/**
 * The ledger grows with every job, so it is read through the service's cache of its folded state: each
 * command reads only the events since the last one, not the whole stream.
 */
export const decideOnLedger = (deps: JobsDeps, command: LedgerCommand, ctx: RequestContext) =>
  handleAndProject(
    deps.events,
    deps.projector,
    LEDGER_STREAM,
    ledgerDecider,
    command,
    commandContextOf(ctx),
    deps.ledgerCache,
  );

export const readLedger = async (deps: JobsDeps) =>
  (await readState(deps.events, LEDGER_STREAM, ledgerDecider, deps.ledgerCache)).state;

/**
 * A finished sync or reset frees its connection in the ledger for the next one. A job the read models do
 * not show yet (registered a moment ago by a concurrent request) has not ended.
 */
export const releaseIfEnded = async (deps: JobsDeps, jobId: number, ctx: RequestContext) => {
  const job = await deps.reads.get<JobDoc>(COLLECTION.jobs, String(jobId));
  if (!job || !TERMINAL.has(job.status)) return;
  await decideOnLedger(deps, { type: 'ReleaseJob', data: { configId: job.configId, jobId } }, ctx).catch(
    (error: unknown) => {
      // A concurrent ledger write wins; the supervisor releases the job on its next round.
      if (!(error instanceof DomainError && error.category === 'conflict')) throw error;
    },
  );
};
