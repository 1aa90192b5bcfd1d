import type { EventStore } from '@ferry/event-store';
import {
  handleAndProject,
  type Decider,
  type DomainEvent,
  type Projector,
  type StreamStateCache,
} from '@ferry/eventsourcing';
import type { LedgerState } from '../ledger/ledger.ts';
import type { ReadStore } from '@ferry/read-store';
import { commandContextOf, type OperationClient, type RequestContext } from '@ferry/rpc';
import type { SyncSettings } from '../sync/settings.ts';

export interface JobsDeps {
  events: EventStore;
  reads: ReadStore;
  projector: Projector;
  call: OperationClient;
  /** Where attempt logs live: `<logDir>/<jobId>/<attempt>.log`. Shared with the runners. */
  logDir: string;
  /** Longest a connector's spec, check or discover may take. */
  connectorTimeoutMs: number;
  sync: SyncSettings;
  /** The job ledger's folded state, so each job created reads only what is new in it. */
  ledgerCache: StreamStateCache<LedgerState>;
}

/** Decide and append, then wait for the read models (read-your-writes). */
export const write = <C, S, E extends DomainEvent>(
  deps: JobsDeps,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
) => handleAndProject(deps.events, deps.projector, stream, decider, command, commandContextOf(ctx));

export const epochSeconds = () => Math.floor(Date.now() / 1000);
