import { illegalState, notFound, type ConnectionRead } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/** What a connection stores: its API view minus the id, plus the workspace it belongs to (through its source). */
export type ConnectionFields = ConnectionRead & { workspaceId: string };
type Settings = Pick<
  ConnectionFields,
  'syncSchema' | 'status' | 'schedule' | 'scheduleType' | 'scheduleData'
> &
  Partial<Pick<ConnectionFields, 'namespaceDefinition' | 'namespaceFormat' | 'prefix'>>;

/** A past version's settings made current again (history/restore); a deprecated one comes back inactive. */
type Restored = { connectionId: string; restoredVersion: number } & Settings;

export type ConnectionCommand =
  | { type: 'CreateConnection'; data: ConnectionFields }
  | { type: 'UpdateConnection'; data: { connectionId: string } & Settings }
  | { type: 'DeprecateConnection'; data: { connectionId: string; reason: string } }
  | { type: 'RestoreConnection'; data: Restored };

type Data<T> = T;
export type ConnectionEvent =
  | { type: 'ConnectionCreated'; data: Data<ConnectionFields> }
  | { type: 'ConnectionUpdated'; data: Data<{ connectionId: string } & Settings> }
  | { type: 'ConnectionDeprecated'; data: Data<{ connectionId: string; reason: string }> }
  | { type: 'ConnectionRestored'; data: Data<Restored> };

export type ConnectionState = { status: 'absent' } | { status: 'present'; connection: ConnectionFields };

export const connectionStream = (id: string) => `connection-${id}`;

export const connectionDecider: Decider<ConnectionCommand, ConnectionState, ConnectionEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateConnection':
        return state.status === 'absent' ? [{ type: 'ConnectionCreated', data: command.data }] : [];
      case 'UpdateConnection': {
        const current = present(state, command.data.connectionId);
        // "Deprecated means the connection is off and cannot be re-activated."
        if (current.status === 'deprecated' && command.data.status !== 'deprecated') {
          throw illegalState('connection.deprecated', `connection ${current.connectionId} is deprecated`);
        }
        return [{ type: 'ConnectionUpdated', data: command.data }];
      }
      case 'DeprecateConnection': {
        const current = present(state, command.data.connectionId);
        return current.status === 'deprecated' ? [] : [{ type: 'ConnectionDeprecated', data: command.data }];
      }
      case 'RestoreConnection':
        present(state, command.data.connectionId);
        if (command.data.status === 'deprecated')
          throw illegalState('connection.deprecated', 'a restored connection cannot be deprecated');
        return [{ type: 'ConnectionRestored', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ConnectionCreated':
        return { status: 'present', connection: event.data };
      case 'ConnectionRestored': {
        if (state.status === 'absent') return state;
        const { connectionId: _id, restoredVersion: _version, ...settings } = event.data;
        return { status: 'present', connection: { ...state.connection, ...settings } };
      }
      case 'ConnectionUpdated': {
        if (state.status === 'absent') return state;
        const { connectionId: _id, ...settings } = event.data;
        return { status: 'present', connection: { ...state.connection, ...settings } };
      }
      case 'ConnectionDeprecated':
        return state.status === 'absent'
          ? state
          : { status: 'present', connection: { ...state.connection, status: 'deprecated' } };
      default:
        return exhaustive(event);
    }
  },
};

const present = (state: ConnectionState, id: string): ConnectionFields => {
  if (state.status === 'absent') throw notFound('connection', id);
  return state.connection;
};
