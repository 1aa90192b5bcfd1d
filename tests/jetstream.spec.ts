import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { AckPolicy, connect, DeliverPolicy, type JsMsg, JSONCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakerSource, startTestFerry, type TestFerry } from './support/ferry.ts';

/** Issue 11, item 6: with FERRY_JETSTREAM=true every event is also in JetStream, once. */
let server: NatsServer;
let storeDir: string;
let ferry: TestFerry;

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), 'ferry-e2e-jetstream-'));
  server = await startNatsServer({ jetstream: { storeDir } });
  ferry = await startTestFerry({ NATS_URL: server.url, FERRY_JETSTREAM: 'true' });
});
afterAll(async () => {
  await ferry?.stop();
  await server?.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

type Event = {
  id: string;
  type: string;
  streamName: string;
  position: number;
  data: Record<string, unknown>;
};
const codec = JSONCodec<Event>();

/** A durable consumer's subscriber: pulls, acknowledges, and can stop (its connection closed) and resume. */
const subscriber = async (durable: string) => {
  const nc = await connect({ servers: server.url });
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add('FERRY_EVENTS', {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
  });
  await nc.close();
  return {
    /** Pulls until `done` holds for what this session received; acknowledges each message. */
    async receive(done: (events: Event[]) => boolean, timeoutMs = 20_000) {
      const connection = await connect({ servers: server.url });
      const consumer = await connection.jetstream().consumers.get('FERRY_EVENTS', durable);
      const received: Event[] = [];
      const ends = Date.now() + timeoutMs;
      try {
        while (!done(received)) {
          if (Date.now() > ends) throw new Error(`received ${received.length} events, not yet all`);
          const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
          for await (const message of batch as AsyncIterable<JsMsg>) {
            received.push(codec.decode(message.data));
            message.ack();
          }
        }
        return received;
      } finally {
        await connection.close();
      }
    },
  };
};

describe('the JetStream stream of events', () => {
  it('holds each event once; a subscriber stopped while 100 changes are made gets all 100 after it resumes', async () => {
    const watcher = await subscriber('watcher');
    const sourceId = await createFakerSource(ferry, 'durable');
    const stream = `source-${sourceId}`;
    const first = await watcher.receive((events) => events.some((e) => e.streamName === stream));
    expect(first.filter((e) => e.streamName === stream).map((e) => e.type)).toEqual(['ActorCreated']);

    // The subscriber is stopped (no connection at all) while the changes are made.
    for (let count = 1; count <= 100; count++) {
      const answer = await ferry.post('/v1/sources/update', {
        sourceId,
        name: `change ${count}`,
        connectionConfiguration: { count, seed: 1 },
      });
      expect(answer.status).toBe(200);
    }
    expect((await ferry.post('/v1/sources/delete', { sourceId })).status).toBe(204);

    const resumed = await watcher.receive((events) =>
      events.some((e) => e.streamName === stream && e.type === 'ActorDeleted'),
    );
    const changes = resumed.filter((e) => e.streamName === stream && e.type === 'ActorUpdated');
    expect(changes.map((e) => e.data.name)).toEqual(Array.from({ length: 100 }, (_, i) => `change ${i + 1}`));
    const ids = [...first, ...resumed].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);

    // Everything the log holds since the stream began is in the stream, once, in log order.
    const nc = await connect({ servers: server.url });
    try {
      const info = await (await nc.jetstreamManager()).streams.info('FERRY_EVENTS');
      const stored = await ferry.storedEvents();
      expect(info.state.messages).toBe(stored.length);
    } finally {
      await nc.close();
    }
  });
});
