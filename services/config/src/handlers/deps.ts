import { commandContextOf, type OperationClient, type RequestContext } from '@ferry/rpc';
import type { EventStore } from '@ferry/event-store';
import { handleAndProject, type Decider, type DomainEvent, type Projector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import type { SecretSealer } from '../secrets/sealing.ts';

export interface ConfigDeps {
  events: EventStore;
  reads: ReadStore;
  projector: Projector;
  sealer: SecretSealer;
  call: OperationClient;
  /** Versions and adapters for `/v1/debug`. */
  debugInfo: () => Promise<Record<string, unknown>>;
}

/** Decide and append, then wait until the read models show it (read-your-writes, invariant 3). */
export const write = <C, S, E extends DomainEvent>(
  deps: ConfigDeps,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
  withIfMatch = false,
) =>
  handleAndProject(deps.events, deps.projector, stream, decider, command, commandContextOf(ctx, withIfMatch));
