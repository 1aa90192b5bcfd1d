import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditTrail } from '@ferry/audit';
import { DomainError } from '@ferry/contracts';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTrailThread } from './trail-thread.ts';
import type { TrailFiles } from './trail-wire.ts';

let dir: string;
let files: TrailFiles;
let trail: AuditTrail | undefined;
const failures: unknown[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-trail-thread-'));
  files = { events: join(dir, 'events.sqlite'), trail: join(dir, 'read-models.audit-trail.sqlite') };
  failures.length = 0;
});
afterEach(async () => {
  await trail?.stop();
  trail = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Appends jobs `from` to `to` through a store of this thread, as the event loop's log writer would. */
const appendJobs = async (from: number, to: number) => {
  const events = createSqliteEventStore({ file: files.events });
  for (let job = from; job <= to; job++)
    await events.append(
      `job-${job}`,
      [
        {
          id: randomUUID(),
          type: 'JobCreated',
          data: { jobId: job, configType: 'sync' },
          metadata: {
            actor: 'system:scheduler',
            correlationId: randomUUID(),
            causationId: null,
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
  await events.close();
};

describe('the audit trail on a thread of its own', () => {
  it('answers audit/list from its own file once it holds every event appended before the call', async () => {
    await appendJobs(1, 2);
    trail = await startTrailThread(files, (error) => failures.push(error));
    await appendJobs(3, 3);
    const { entries } = await trail.list({});
    expect(entries.map((e) => [e.type, e.resourceType, e.resourceId])).toEqual([
      ['JobCreated', 'job', '3'],
      ['JobCreated', 'job', '2'],
      ['JobCreated', 'job', '1'],
    ]);
    expect(existsSync(files.trail)).toBe(true);
    await trail.waitFor(3, 5_000);
    expect(failures).toEqual([]);
  });

  it('fails a call with its domain error whole, as the bus would carry it', async () => {
    trail = await startTrailThread(files, (error) => failures.push(error));
    const refused = await trail
      .list({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })
      .catch((error: unknown) => error);
    expect(DomainError.is(refused)).toBe(true);
    expect((refused as DomainError).category).toBe('validation');
    expect((refused as DomainError).validationErrors?.[0]?.propertyPath).toBe('from');
    expect(failures).toEqual([]);
  });

  it('ends its thread when stopped, and later calls fail as unavailable instead of waiting', async () => {
    const stopped = await startTrailThread(files, (error) => failures.push(error));
    await stopped.stop();
    const refused = await stopped.list({}).catch((error: unknown) => error);
    expect((refused as DomainError).category).toBe('unavailable');
    await stopped.stop(); // a second stop has nothing left to do
  });
});
