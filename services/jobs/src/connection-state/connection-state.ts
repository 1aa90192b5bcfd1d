import type { Decider } from '@ferry/eventsourcing';

/**
 * A connection's sync state (cursors): only a succeeded attempt saves one, a succeeded reset clears it,
 * and the next sync starts from what is here.
 */
export type ConnectionStateEvent =
  | {
      type: 'ConnectionStateSaved';
      data: { connectionId: string; jobId: number; state: Record<string, unknown> };
    }
  | { type: 'ConnectionStateCleared'; data: { connectionId: string; jobId: number } };
type Command =
  | { type: 'SaveState'; data: { connectionId: string; jobId: number; state: Record<string, unknown> } }
  | { type: 'ClearState'; data: { connectionId: string; jobId: number } };

export const connectionStateStream = (connectionId: string) => `connectionstate-${connectionId}`;

export const connectionStateDecider: Decider<Command, { lastJobId: number }, ConnectionStateEvent> = {
  initialState: { lastJobId: 0 },
  // A job reports its outcome at least once; the same job saving twice is a retry, not news.
  decide: (command, state) => {
    if (command.data.jobId === state.lastJobId) return [];
    return command.type === 'SaveState'
      ? [{ type: 'ConnectionStateSaved', data: command.data }]
      : [{ type: 'ConnectionStateCleared', data: command.data }];
  },
  evolve: (_state, event) => ({ lastJobId: event.data.jobId }),
};
