import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { Projection } from '@ferry/eventsourcing';
import type { ResourceModel, ResourceModels } from '@ferry/history';
import type { Document, ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../list/list.ts';
import { COLLECTIONS } from './entry.ts';
import { startAuditTrail } from './projector.ts';

/** A resource with a name and a secret, deleted by `ThingDeleted`. */
type Thing = Document & { name: string; secret: unknown; deleted: boolean };
const things: Projection<Thing> = {
  name: 'things',
  collection: 'things',
  handles: new Set(['ThingCreated', 'ThingRenamed', 'ThingDeleted']),
  documentId: (event) => event.streamName.slice('thing-'.length),
  evolve: (doc, event) => {
    const id = event.streamName.slice('thing-'.length);
    if (event.type === 'ThingCreated')
      return { id, name: String(event.data.name), secret: event.data.secret, deleted: false };
    if (!doc) return null;
    return event.type === 'ThingDeleted'
      ? { ...doc, deleted: true }
      : { ...doc, name: String(event.data.name) };
  },
};
const thingModel: ResourceModel<Thing> = {
  category: 'thing',
  projection: things,
  resourceType: () => 'thing',
  workspaceId: () => 'w1',
  deleted: (doc) => doc.deleted,
  view: async (doc) => ({ thingId: doc.id, name: doc.name, secret: doc.secret }),
};
const models: ResourceModels = new Map([['thing', thingModel as ResourceModel]]);

let dir: string;
let events: EventStore;
const opened: ReadStore[] = [];
const readStore = (file: string) => {
  const store = createSqliteReadStore({ file: join(dir, file) });
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-audit-trail-'));
  events = createSqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

const metadata = (actor: string) => ({
  actor,
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
});
const append = (
  stream: string,
  type: string,
  data: Record<string, unknown>,
  revision: number | 'no_stream',
  actor = 'user:ada',
) => events.append(stream, [{ id: randomUUID(), type, data, metadata: metadata(actor) }], revision);

const dump = async (store: ReadStore) =>
  Object.fromEntries(
    await Promise.all(Object.values(COLLECTIONS).map(async (c) => [c, await store.find(c)] as const)),
  );

describe('the audit trail', () => {
  it('records each change as a masked JSON Patch of its resource, and merges the fields of other streams', async () => {
    const sealed = { _ferry_sealed: 'v2:k:iv:tag:body' };
    await append('thing-1', 'ThingCreated', { name: 'a', secret: sealed }, 'no_stream');
    await append('thing-1', 'ThingRenamed', { name: 'b' }, 0, 'token:t1');
    await append('thing-1', 'ThingDeleted', {}, 1);
    await append('job-7', 'JobCreated', { jobId: 7, configType: 'sync' }, 'no_stream', 'system:scheduler');
    const reads = readStore('reads.sqlite');
    const trail = await startAuditTrail(events, reads, models, (error) => {
      throw error;
    });
    await trail.waitFor(await events.headPosition());
    const { entries } = await listAuditEntries(reads, {});
    expect(entries.map((e) => [e.type, e.resourceType, e.resourceId, e.actor, e.changes])).toEqual([
      [
        'JobCreated',
        'job',
        '7',
        'system:scheduler',
        [{ op: 'add', path: '', value: { jobId: 7, configType: 'sync' } }],
      ],
      ['ThingDeleted', 'thing', '1', 'user:ada', [{ op: 'remove', path: '' }]],
      ['ThingRenamed', 'thing', '1', 'token:t1', [{ op: 'replace', path: '/name', value: 'b' }]],
      [
        'ThingCreated',
        'thing',
        '1',
        'user:ada',
        [{ op: 'add', path: '', value: { thingId: '1', name: 'a', secret: '**********' } }],
      ],
    ]);
    expect((await listAuditEntries(reads, { actor: 'token:t1' })).entries.map((e) => e.type)).toEqual([
      'ThingRenamed',
    ]);
    await trail.stop();
  });

  it('comes out the same from two replicas projecting at once as from one, and from a rebuild', async () => {
    const shared = 'shared.sqlite';
    const replicas = await Promise.all(
      [readStore(shared), readStore(shared)].map((reads) =>
        startAuditTrail(events, reads, models, (error) => {
          throw error;
        }),
      ),
    );
    for (let n = 0; n < 30; n++) {
      const stream = `thing-${n % 4}`;
      const revision = Math.floor(n / 4) - 1;
      await (revision === -1
        ? append(stream, 'ThingCreated', { name: `v${n}`, secret: null }, 'no_stream')
        : append(stream, 'ThingRenamed', { name: `v${n}` }, revision));
    }
    const head = await events.headPosition();
    await Promise.all(replicas.map((r) => r.waitFor(head)));
    const single = readStore('single.sqlite');
    const alone = await startAuditTrail(events, single, models, (error) => {
      throw error;
    });
    await alone.waitFor(head);
    const expected = await dump(single);
    expect(await dump(opened[0]!)).toEqual(expected);
    await alone.rebuild();
    expect(await dump(single)).toEqual(expected);
    for (const trail of [...replicas, alone]) await trail.stop();
  });
});
