import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentAt, type RevisionedDocument } from './document-at.ts';
import type { Projection } from './projection.ts';
import { startProjector } from './projector.ts';

type Note = RevisionedDocument & { text?: string; edits: number };

/**
 * Sensitive to how a stored document looks: a `Written` without text leaves `text` undefined, which a
 * stored document drops, so a later text lands after `edits` in the projector's document.
 */
const notes: Projection<Note> = {
  name: 'notes',
  collection: 'notes',
  handles: new Set(['Written', 'Erased']),
  documentId: (event) => event.streamName.slice('note-'.length),
  evolve: (doc, event) => {
    if (event.type === 'Erased') return null;
    const change = { revision: event.revision, text: event.data.text as string | undefined };
    return doc ? { ...doc, ...change, edits: doc.edits + 1 } : { id: 'a', ...change, edits: 1 };
  },
};

const metadata = { actor: 'test', correlationId: 'c', causationId: null, schemaVersion: 1 };
const stream = 'note-a';
const history: Array<[string, Record<string, unknown>]> = [
  ['Written', {}],
  ['Written', { text: 'one' }],
  ['Pinned', {}], // not handled: the note stays as it was
  ['Written', { text: 'two' }],
  ['Erased', {}],
  ['Written', {}],
  ['Written', { text: 'three' }],
];

describe('documentAt', () => {
  let dir: string;
  let events: EventStore;
  let reads: ReadStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-document-at-'));
    events = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
    reads = createSqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Appends the history through a projector, noting the stored document's JSON after each revision. */
  const project = async () => {
    const stored: string[] = [];
    const projector = await startProjector(events, reads, [notes], (error) => {
      throw error;
    });
    for (const [type, data] of history) {
      const event = { id: randomUUID(), type, data, metadata: { ...metadata, occurredAt: '2024-01-01' } };
      await projector.waitFor((await events.append(stream, [event], 'any')).position);
      stored.push(JSON.stringify(await reads.get('notes', 'a')));
    }
    await projector.stop();
    return stored;
  };

  it('gives, at every revision, the bytes the projector stored then, whatever the read model shows now', async () => {
    const stored = await project();
    expect(stored).toHaveLength(history.length);
    for (const [revision, expected] of stored.entries()) {
      const doc = await documentAt({ events, reads }, notes, { stream, id: 'a', revision });
      expect(JSON.stringify(doc), `revision ${revision}`).toBe(expected);
    }
  });

  it('folds forward from a read model that has not reached the revision yet', async () => {
    const stored = await project();
    const lagging: ReadStore = { ...reads, get: async () => JSON.parse(stored[1]!) };
    const doc = await documentAt({ events, reads: lagging }, notes, { stream, id: 'a', revision: 3 });
    expect(JSON.stringify(doc)).toBe(stored[3]);
    expect(JSON.stringify(doc)).toBe('{"id":"a","revision":3,"edits":3,"text":"two"}');
  });
});
