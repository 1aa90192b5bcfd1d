import { unavailable } from '@ferry/contracts';

/**
 * Syncs, resets and cancel need the sync pipeline (issue "Syncs that move data"). Until it exists they
 * answer 503 saying so: never a fake job.
 */
const notYet = async () => {
  throw unavailable(
    'Syncs are not available in this version of Ferry yet: the sync pipeline has not landed.',
    'sync.not_available',
  );
};

export const syncHandlers = () => ({ syncConnection: notYet, resetConnection: notYet, cancelJob: notYet });
