import { illegalState, notFound } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/** Sources and destinations ("actors", in Airbyte's later words) share one life cycle. */
export type ActorKind = 'source' | 'destination';

/** A connector configuration whose secrets are sealed (see secrets.ts): never plain text in an event. */
export type SealedConfiguration = Record<string, unknown>;

export interface ActorFields {
  actorId: string;
  kind: ActorKind;
  workspaceId: string;
  definitionId: string;
  name: string;
  configuration: SealedConfiguration;
}

/** A past version made current again (history/restore): its name and configuration, undeleted. */
type Restored = Pick<ActorFields, 'actorId' | 'kind' | 'name' | 'configuration'> & {
  restoredVersion: number;
};

/** The same configuration, its secrets sealed again under another key (a key rotation). */
type Resealed = Pick<ActorFields, 'actorId' | 'kind' | 'configuration'>;

export type ActorCommand =
  | { type: 'CreateActor'; data: ActorFields }
  | { type: 'UpdateActor'; data: Pick<ActorFields, 'actorId' | 'kind' | 'name' | 'configuration'> }
  | { type: 'DeleteActor'; data: Pick<ActorFields, 'actorId' | 'kind'> }
  | { type: 'ResealActorSecrets'; data: Resealed }
  | { type: 'RestoreActor'; data: Restored };

type Data<T> = T;
export type ActorEvent =
  | { type: 'ActorCreated'; data: Data<ActorFields> }
  | { type: 'ActorUpdated'; data: Data<Pick<ActorFields, 'actorId' | 'kind' | 'name' | 'configuration'>> }
  | { type: 'ActorDeleted'; data: Data<Pick<ActorFields, 'actorId' | 'kind'>> }
  | { type: 'ActorSecretsResealed'; data: Data<Resealed> }
  | { type: 'ActorRestored'; data: Data<Restored> };

export type ActorState =
  | { status: 'absent' }
  | ({ status: 'active' } & ActorFields)
  | ({ status: 'deleted' } & ActorFields);

export const actorStream = (kind: ActorKind, id: string) => `${kind}-${id}`;

export const actorDecider: Decider<ActorCommand, ActorState, ActorEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateActor':
        // Same id again (a retried create with the same Idempotency-Key): already done.
        return state.status === 'absent' ? [{ type: 'ActorCreated', data: command.data }] : [];
      case 'UpdateActor':
        if (state.status === 'absent') throw notFound(command.data.kind, command.data.actorId);
        if (state.status === 'deleted') {
          throw illegalState(
            `${command.data.kind}.deleted`,
            `${command.data.kind} ${command.data.actorId} is deleted`,
          );
        }
        return [{ type: 'ActorUpdated', data: command.data }];
      case 'DeleteActor':
        if (state.status === 'absent') throw notFound(command.data.kind, command.data.actorId);
        // Deleting twice is harmless.
        return state.status === 'deleted' ? [] : [{ type: 'ActorDeleted', data: command.data }];
      case 'ResealActorSecrets':
        // A deleted actor's configuration is re-sealed too: once the old key is retired, nothing else could open it.
        if (state.status === 'absent') throw notFound(command.data.kind, command.data.actorId);
        return [{ type: 'ActorSecretsResealed', data: command.data }];
      case 'RestoreActor':
        // Always a new event, even when nothing differs: history shows that someone restored it.
        if (state.status === 'absent') throw notFound(command.data.kind, command.data.actorId);
        return [{ type: 'ActorRestored', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ActorCreated':
        return { status: 'active', ...event.data };
      case 'ActorUpdated':
        return state.status === 'absent' ? state : { ...state, ...event.data };
      case 'ActorDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      case 'ActorSecretsResealed':
        return state.status === 'absent' ? state : { ...state, configuration: event.data.configuration };
      case 'ActorRestored': {
        if (state.status === 'absent') return state;
        const { name, configuration } = event.data;
        return { ...state, status: 'active', name, configuration };
      }
      default:
        return exhaustive(event);
    }
  },
};
