import type { EventStore } from '@ferry/event-store';
import { handleCommand, type Decider, type DomainEvent, type Projector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import type { OperationClient, RequestContext } from '@ferry/rpc';
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
}

const contextOf = (ctx: RequestContext) => ({
  actor: ctx.actor,
  correlationId: ctx.correlationId,
  causationId: ctx.requestId,
  now: new Date(),
});

/** Decide and append, then wait for the read models (read-your-writes). */
export const write = async <C, S, E extends DomainEvent>(
  deps: JobsDeps,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
) => {
  const result = await handleCommand(deps.events, stream, decider, command, contextOf(ctx));
  if (result.position > 0) await deps.projector.waitFor(result.position);
  return result;
};

export const epochSeconds = () => Math.floor(Date.now() / 1000);
