// The catch-up writer's thread (see catch-up-writer.ts): it owns a connection of its own to the read
// models, so SQLite's upserts and COMMITs of a catch-up's pages run beside the event loop's reading and
// folding of the next page.
import { parentPort, workerData } from 'node:worker_threads';
import { type CheckedCommit, commitsWriter } from './commits.ts';
import { heldCommits } from './held-commits.ts';
import { openReadModels } from './schema.ts';
import { CollectionTables } from './tables.ts';

/** A batch to hold (numbered in sending order), a request to land what is held, or the end. */
export type CatchUpRequest = { batch: number; commits: CheckedCommit[] } | { land: true } | { close: true };
/** Every batch up to `landed` is in the file; or the batches not yet landed are lost with `failed`. */
export type CatchUpReply = { landed: number } | { failed: unknown };

const port = parentPort;
if (!port) throw new Error('catch-up-thread.ts runs as a worker thread of catch-up-writer.ts');
const db = openReadModels((workerData as { file: string }).file);
const write = commitsWriter(db, new CollectionTables(db));
let last = 0;
// After a failure the batches sent behind the lost ones must not land: their checkpoints would pass them.
let failed = false;
const held = heldCommits(db, () => port.postMessage({ landed: last } satisfies CatchUpReply));

port.on('message', (request: CatchUpRequest) => {
  if ('close' in request) {
    db.close();
    port.close();
    return;
  }
  if (failed) return;
  try {
    if ('land' in request) held.land();
    else {
      last = request.batch;
      held.commit(() => write(request.commits));
    }
  } catch (error) {
    failed = true;
    port.postMessage({ failed: error } satisfies CatchUpReply);
  }
});
