import type { SyncAttemptRequest } from '@ferry/contracts';
import type { AttemptLog } from '../attempt-log.ts';
import type { Progress, Tally } from './forward.ts';

export interface SyncResult extends Progress {
  succeeded: boolean;
  failureReason: string | null;
  /** The last state the destination committed (see `chooseState`); null for a reset. */
  state: Record<string, unknown> | null;
}

/**
 * The state an attempt hands back. Normally the destination's last echoed STATE: it commits before echoing,
 * so that state never runs ahead of the data. A destination that echoes none but exits 0 after its input
 * ended has committed everything it was sent, every record before the source's last STATE included, so
 * that STATE is safe then (and only then: on failure the source's state may be ahead of the data).
 */
const chooseState = (request: SyncAttemptRequest, tally: Tally, succeeded: boolean) => {
  if (request.kind === 'reset') return null;
  return succeeded ? (tally.destinationState ?? tally.sourceState) : tally.destinationState;
};

/** The result of an attempt, also written as the last line of its log. */
export function finish(
  request: SyncAttemptRequest,
  tally: Tally,
  failure: string | null,
  log: AttemptLog,
): SyncResult {
  const succeeded = failure === null;
  const { recordsSynced, bytesSynced } = tally;
  log.write(
    'ferry',
    `${request.kind} ${succeeded ? 'succeeded' : `failed: ${failure}`} (${recordsSynced} records, ${bytesSynced} bytes)`,
  );
  return {
    succeeded,
    failureReason: failure,
    recordsSynced,
    bytesSynced,
    state: chooseState(request, tally, succeeded),
  };
}
