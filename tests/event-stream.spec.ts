import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakerSource, startTestFerry, type TestFerry } from './support/ferry.ts';
import { readEventStream, type ServerSentEvent } from './support/sse.ts';

/** Issue 11, item 6: `GET /api/v1/events`, Server-Sent Events that a subscriber resumes without a gap. */
let ferry: TestFerry;
beforeAll(async () => {
  ferry = await startTestFerry();
});
afterAll(async () => {
  await ferry?.stop();
});

const ofStream = (stream: string) => (events: ServerSentEvent[]) =>
  events.filter((e) => e.data.streamName === stream);

const update = async (sourceId: string, count: number) => {
  const answer = await ferry.post('/v1/sources/update', {
    sourceId,
    name: `change ${count}`,
    connectionConfiguration: { count, seed: 1 },
  });
  expect(answer.status, answer.text).toBe(200);
};

describe('the event stream', () => {
  it('replays the log from a position, each event with its position as id, secrets masked', async () => {
    const stream = await readEventStream(`${ferry.api}/v1/events?after=0`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      // The log as the audit trail holds it (read through the API: in the postgres variant a second store
      // opened in this process would keep Ferry's own from closing).
      const trail = (await ferry.post('/v1/audit/list', { pageSize: 1000 })).json.entries as Array<{
        id: string;
        position: number;
      }>;
      const stored = trail.toSorted((a, b) => a.position - b.position);
      await stream.until((events) => events.length >= stored.length);
      expect(stream.events.slice(0, stored.length).map((e) => [e.id, e.data.id])).toEqual(
        stored.map((e) => [String(e.position), e.id]),
      );
      expect(JSON.stringify(stream.events)).not.toContain('_ferry_sealed');
    } finally {
      await stream.close();
    }
  });

  it('a subscriber stopped while 100 changes are made gets all 100 exactly once when it resumes', async () => {
    const sourceId = await createFakerSource(ferry, 'watched');
    const source = `source-${sourceId}`;
    const first = await readEventStream(`${ferry.api}/v1/events`);
    await update(sourceId, 0);
    await first.until((events) => ofStream(source)(events).length === 1);
    await first.close();
    const lastSeen = first.events.at(-1)!.id!;

    for (let count = 1; count <= 100; count++) await update(sourceId, count);
    const deleted = await ferry.post('/v1/sources/delete', { sourceId });
    expect(deleted.status).toBe(204);

    const resumed = await readEventStream(`${ferry.api}/v1/events`, { 'Last-Event-ID': lastSeen });
    try {
      await resumed.until((events) => ofStream(source)(events).some((e) => e.data.type === 'ActorDeleted'));
      const changes = ofStream(source)(resumed.events).filter((e) => e.data.type === 'ActorUpdated');
      expect(changes.map((e) => e.data.data.name)).toEqual(
        Array.from({ length: 100 }, (_, i) => `change ${i + 1}`),
      );
      const positions = resumed.events.map((e) => Number(e.id));
      expect(positions[0]).toBeGreaterThan(Number(lastSeen));
      expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    } finally {
      await resumed.close();
    }
  });

  it('answers 422 for a position that is not one', async () => {
    const answer = await ferry.get('/v1/events?after=-1');
    expect(answer.status).toBe(422);
    expect(answer.json.message).toMatch(/log position/);
  });
});

describe('a stream open while Ferry stops', () => {
  it('ends, and does not keep the gateway from closing', async () => {
    const own = await startTestFerry();
    const stream = await readEventStream(`${own.api}/v1/events?after=0`);
    await stream.until((events) => events.length > 0);
    const ended = new Promise<void>((resolve) => stream.response.once('end', () => resolve()));
    await own.stop();
    await ended;
    await stream.close();
  });
});
