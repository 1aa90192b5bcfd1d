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
 * The state an attempt hands back. Normally what the destination echoed: it commits before echoing, so
 * that state never runs ahead of the data. A destination that echoes none but exits 0 after its input
 * ended has committed everything it was sent, every record before the source's last STATE included, so
 * the source's states are safe then (and only then: on failure they may be ahead of the data). Per-stream
 * states start from the previous attempt's, each stream's replaced only by a newer one of that stream.
 */
const chooseState = (request: SyncAttemptRequest, tally: Tally, succeeded: boolean) => {
  if (request.kind === 'reset') return null;
  const { sourceStates, destinationStates } = tally;
  if (destinationStates.seen) return destinationStates.stored();
  return succeeded && sourceStates.seen ? sourceStates.stored() : null;
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
