// The embedded audit trail's thread (trail-thread.ts, ADR 0043): it follows the event log on a connection
// of its own and writes the trail into a SQLite file of its own, so the trail's work (a resource's views
// before and after each event, seven documents an event and their COMMIT) leaves the event loop that
// answers requests, and its writes never wait for, or make wait, the loop's read models.
import { parentPort, workerData } from 'node:worker_threads';
import { startAuditTrail } from '@ferry/audit';
import { wireErrorOf } from '@ferry/bus';
import { configResourceModels } from '@ferry/config';
import { DomainError } from '@ferry/contracts';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import type { TrailCall, TrailFiles, TrailMessage } from './trail-wire.ts';

/**
 * How often the thread looks for events appended by the loop's log writer (another connection, which
 * rings no wakeup here): the trail lingers 100 ms over its batches anyway, and `audit/list` waits for it.
 */
const POLL_MS = 50;

const port = parentPort;
if (!port) throw new Error('trail-worker.ts runs as a worker thread of trail-thread.ts');
const files = workerData as TrailFiles;
const post = (message: TrailMessage) => port.postMessage(message);
const events = createSqliteEventStore({ file: files.events, pollIntervalMs: POLL_MS });
const reads = createSqliteReadStore({ file: files.trail });
const failed = (error: unknown) =>
  post({ failure: error instanceof Error ? (error.stack ?? error.message) : String(error) });
const trail = await startAuditTrail(events, reads, configResourceModels, failed);

const run = (call: TrailCall): Promise<unknown> => {
  switch (call.call) {
    case 'list':
      return trail.list(call.request);
    case 'waitFor':
      return trail.waitFor(call.position, call.timeoutMs);
    case 'rebuild':
      return trail.rebuild();
    case 'stop':
      return trail.stop().finally(() => Promise.all([events.close(), reads.close()]));
  }
};

port.on('message', async (call: TrailCall) => {
  try {
    post({ id: call.id, reply: { ok: true, value: await run(call) } });
  } catch (error) {
    // As the bus answers: a domain error whole, any other as `internal`, reported where failures go.
    if (!DomainError.is(error)) failed(error);
    post({ id: call.id, reply: { ok: false, error: wireErrorOf(error).toJSON() } });
  }
  if (call.call === 'stop') port.close();
});
