import type { OperationClient } from '@ferry/rpc';
import type { EventStore } from '@ferry/event-store';
import { handleCommand, type Decider, type DomainEvent, type Projector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import type { SecretSealer } from '../secrets/sealing.ts';
import { commandContext, type RequestContext } from './context.ts';

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
export const write = async <C, S, E extends DomainEvent>(
  deps: ConfigDeps,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
  withIfMatch = false,
) => {
  const result = await handleCommand(deps.events, stream, decider, command, commandContext(ctx, withIfMatch));
  if (result.position > 0) await deps.projector.waitFor(result.position);
  return result;
};
