import { conflict, type JobConfigType } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/**
 * The job ledger: one stream that hands out job ids (int64, sequential, as Airbyte's) and holds the
 * "at most one sync or reset per connection" rule. Both need one point of agreement; appending here with
 * the expected revision makes concurrent requests (also across replicas) queue up instead of racing.
 */
export const LEDGER_STREAM = 'jobledger-main';

export interface LedgerState {
  lastJobId: number;
  /** The active exclusive job of a config id (a connection): sync or reset. */
  active: Record<string, { jobId: number; configType: JobConfigType }>;
  /** Idempotency keys already answered, with the job they created. */
  byKey: Record<string, number>;
}

export type LedgerCommand =
  | {
      type: 'RegisterJob';
      data: {
        configType: JobConfigType;
        configId: string;
        exclusive: boolean;
        idempotencyKey: string | null;
      };
    }
  | { type: 'ReleaseJob'; data: { configId: string; jobId: number } };

export type LedgerEvent =
  | {
      type: 'JobRegistered';
      data: {
        jobId: number;
        configType: JobConfigType;
        configId: string;
        exclusive: boolean;
        idempotencyKey: string | null;
      };
    }
  | { type: 'JobReleased'; data: { configId: string; jobId: number } };

export const ledgerDecider: Decider<LedgerCommand, LedgerState, LedgerEvent> = {
  initialState: { lastJobId: 0, active: {}, byKey: {} },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterJob': {
        const d = command.data;
        if (d.idempotencyKey && state.byKey[d.idempotencyKey] !== undefined) return [];
        const active = d.exclusive ? state.active[d.configId] : undefined;
        if (active?.configType === d.configType) return [];
        if (active)
          throw conflict(
            `connection ${d.configId} is busy with ${active.configType} job ${active.jobId}`,
            'connection.busy',
          );
        return [{ type: 'JobRegistered', data: { ...d, jobId: state.lastJobId + 1 } }];
      }
      case 'ReleaseJob':
        return state.active[command.data.configId]?.jobId === command.data.jobId
          ? [{ type: 'JobReleased', data: command.data }]
          : [];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'JobRegistered': {
        const d = event.data;
        return {
          lastJobId: d.jobId,
          active: d.exclusive
            ? { ...state.active, [d.configId]: { jobId: d.jobId, configType: d.configType } }
            : state.active,
          byKey: d.idempotencyKey ? { ...state.byKey, [d.idempotencyKey]: d.jobId } : state.byKey,
        };
      }
      case 'JobReleased': {
        const { [event.data.configId]: _released, ...active } = state.active;
        return { ...state, active };
      }
      default:
        return exhaustive(event);
    }
  },
};

/** The job a RegisterJob command stands for, once decided: the new one, or the one it was answered with. */
export const registeredJobId = (
  state: LedgerState,
  data: Extract<LedgerCommand, { type: 'RegisterJob' }>['data'],
): number => {
  if (data.idempotencyKey && state.byKey[data.idempotencyKey] !== undefined)
    return state.byKey[data.idempotencyKey]!;
  if (data.exclusive && state.active[data.configId]) return state.active[data.configId]!.jobId;
  return state.lastJobId;
};
