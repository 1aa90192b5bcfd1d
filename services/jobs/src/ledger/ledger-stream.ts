import { handleAndProject, readState } from '@ferry/eventsourcing';
import { commandContextOf, type RequestContext } from '@ferry/rpc';
import type { JobsDeps } from '../handlers/deps.ts';
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
