import type { RecordedEvent } from '@ferry/event-store';
import type { ScheduledConnection } from './due.ts';
import { DueIndex } from './due-index.ts';
import type { Looked } from './schedule-connection.ts';
import { FIRE_RETRY_SECONDS } from './schedule-decider.ts';

/**
 * How long a connection waits, without news, to be looked at again when its next due time is not known yet:
 * its sync runs (the job's end is news, below) or it is inactive. Only a fallback, for jobs and changes this
 * process hears nothing of.
 */
const UNKNOWN_NEXT_MS = 5 * 60_000;
const ACTIVE = new Set(['pending', 'running', 'incomplete']);

/** The job events after which a job is no longer active: its connection's next due time is known. */
const endsJob = (event: RecordedEvent) =>
  event.type === 'AttemptSucceeded' ||
  event.type === 'JobCancelled' ||
  (event.type === 'AttemptFailed' && event.data.final === true);

/**
 * The scheduled connections this scheduler knows and when to look at each next: its due time when known,
 * else when news may change it. News comes from the event log: a change of a connection (`connection-*`)
 * asks for the list again, the end of a job of a known connection makes it due for a look at once.
 */
export class ScheduleIndex {
  readonly #known = new Map<string, { connection: ScheduledConnection; key: string }>();
  readonly #due = new DueIndex();
  /** Active jobs of known connections, by job id: the connection to look at when one ends. */
  readonly #owners = new Map<number, string>();
  listingAsked = true;

  get size(): number {
    return this.#known.size;
  }

  /** Takes a fresh list: new and changed connections are looked at at once, removed ones forgotten. */
  replaceAll(connections: readonly ScheduledConnection[], now: number): void {
    const listed = new Set<string>();
    for (const connection of connections) {
      const id = connection.connectionId;
      listed.add(id);
      const key = JSON.stringify(connection);
      if (this.#known.get(id)?.key === key) continue;
      this.#known.set(id, { connection, key });
      this.#due.set(id, now);
    }
    for (const id of this.#known.keys()) {
      if (listed.has(id)) continue;
      this.#known.delete(id);
      this.#due.delete(id);
    }
    this.listingAsked = false;
  }

  /** The connections due for a look at `now`, taken out until `looked` or `failed` puts them back. */
  takeDue(now: number): ScheduledConnection[] {
    return this.#due.takeDue(now).flatMap((id) => this.#known.get(id)?.connection ?? []);
  }

  nextAt(): number | undefined {
    return this.#due.nextAt();
  }

  /** After a look: the next one at the due time, or when news may have come (see `UNKNOWN_NEXT_MS`). */
  looked(connectionId: string, { decision, jobs, fired }: Looked, now: number): void {
    if (!this.#known.has(connectionId)) return;
    for (const job of jobs) if (ACTIVE.has(job.status)) this.#owners.set(job.id, connectionId);
    const next =
      decision.kind === 'wait' && decision.nextAt !== null
        ? decision.nextAt * 1000
        : fired === 'failed' || fired === 'not_claimed'
          ? now + FIRE_RETRY_SECONDS * 1000
          : now + UNKNOWN_NEXT_MS;
    // Sooner if news came while it was being looked at.
    this.#due.setEarlier(connectionId, next);
  }

  /** A look that failed: again after `retryMs`, as the next tick did before the index. */
  failed(connectionId: string, retryAt: number): void {
    if (this.#known.has(connectionId)) this.#due.setEarlier(connectionId, retryAt);
  }

  /** Reads an event of the log; true when it is news that may make a connection due sooner. */
  heard(event: RecordedEvent, now: number): boolean {
    if (event.streamName.startsWith('connection-')) {
      this.listingAsked = true;
      return true;
    }
    if (!event.streamName.startsWith('job-')) return false;
    const jobId = Number(event.data.jobId);
    if (event.type === 'JobCreated') {
      const owner = String(event.data.configId);
      if (this.#known.has(owner)) this.#owners.set(jobId, owner);
      return false;
    }
    const owner = this.#owners.get(jobId);
    if (owner === undefined || !endsJob(event)) return false;
    this.#owners.delete(jobId);
    if (this.#known.has(owner)) this.#due.set(owner, now);
    return true;
  }
}
