import type { Decider } from '@ferry/eventsourcing';

/**
 * A connection's sync state (cursors): only a succeeded attempt saves one, a succeeded reset clears it,
 * and the next sync starts from what is here.
 */
export type ConnectionStateEvent =
  | {
      type: 'ConnectionStateSaved';
      /** `attempt` is absent in events from before per-stream states, when only a job's success saved. */
      data: { connectionId: string; jobId: number; attempt?: number; state: Record<string, unknown> };
    }
  | { type: 'ConnectionStateCleared'; data: { connectionId: string; jobId: number } };
type Command =
  | {
      type: 'SaveState';
      data: { connectionId: string; jobId: number; attempt: number; state: Record<string, unknown> };
    }
  | { type: 'ClearState'; data: { connectionId: string; jobId: number } };

export const connectionStateStream = (connectionId: string) => `connectionstate-${connectionId}`;

type State = { lastJobId: number; lastAttempt?: number | undefined };

export const connectionStateDecider: Decider<Command, State, ConnectionStateEvent> = {
  initialState: { lastJobId: 0 },
  // An attempt reports its outcome at least once; the same attempt saving twice is a retry, not news. (A
  // failed attempt may save per-stream states, and the job's next attempt then saves again.)
  decide: (command, state) => {
    const attempt = command.type === 'SaveState' ? command.data.attempt : undefined;
    if (command.data.jobId === state.lastJobId && attempt === state.lastAttempt) return [];
    return command.type === 'SaveState'
      ? [{ type: 'ConnectionStateSaved', data: command.data }]
      : [{ type: 'ConnectionStateCleared', data: command.data }];
  },
  evolve: (_state, event) => ({
    lastJobId: event.data.jobId,
    lastAttempt: event.type === 'ConnectionStateSaved' ? event.data.attempt : undefined,
  }),
};
