import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDurableEvents, POSITION_HEADER } from './jetstream.ts';
import { type NatsServer, startNatsServer } from './testing/nats-server.ts';

let server: NatsServer;
let storeDir: string;
let reader: NatsConnection;

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), 'ferry-jetstream-'));
  // A small max payload, so that an event of a few kilobytes is stored in chunks.
  const configFile = join(storeDir, 'small-payload.conf');
  writeFileSync(configFile, 'max_payload: 16384\n');
  server = await startNatsServer({ jetstream: { storeDir: join(storeDir, 'js') }, configFile });
  reader = await connect({ servers: server.url });
});
afterAll(async () => {
  await reader?.close();
  await server?.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

const event = (position: number, size = 10) => ({
  id: `event-${position}`,
  position,
  data: 'x'.repeat(size),
});

describe('durable events (JetStream)', () => {
  it('creates the stream, stores each event once by its id, and knows the last position', async () => {
    const durable = await openDurableEvents({ servers: server.url, stream: 'ONCE', subjects: ['once.>'] });
    try {
      expect(await durable.lastPosition()).toBe(0);
      await durable.publish('once.source.ActorCreated', event(1));
      await durable.publish('once.source.ActorUpdated', event(2));
      // A relay that crashed before its checkpoint, or another replica's, publishes the same event again.
      await durable.publish('once.source.ActorUpdated', event(2));
      const info = await (await reader.jetstreamManager()).streams.info('ONCE');
      expect(info.state.messages).toBe(2);
      expect(await durable.lastPosition()).toBe(2);
    } finally {
      await durable.close();
    }
    // Opening it again keeps the stream and what it holds.
    const again = await openDurableEvents({ servers: server.url, stream: 'ONCE', subjects: ['once.>'] });
    expect(await again.lastPosition()).toBe(2);
    await again.close();
  });

  it('stores an event over the max payload as chunks a reader joins back, once', async () => {
    const durable = await openDurableEvents({ servers: server.url, stream: 'LARGE', subjects: ['large.>'] });
    try {
      const big = event(7, 40_000);
      await durable.publish('large.connection.ConnectionCreated', big);
      await durable.publish('large.connection.ConnectionCreated', big);
      const js = reader.jetstream();
      await (await reader.jetstreamManager()).consumers.add('LARGE', {
        durable_name: 'reader',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
      });
      const consumer = await js.consumers.get('LARGE', 'reader');
      const messages = await consumer.fetch({ max_messages: 10, expires: 1_000 });
      const parts: Uint8Array[] = [];
      const marks: string[] = [];
      for await (const message of messages) {
        parts.push(message.data);
        marks.push(message.headers?.get('ferry-chunk') ?? '');
        expect(message.headers?.get('ferry-message-id')).toBe('event-7');
        expect(message.headers?.get(POSITION_HEADER)).toBe('7');
        message.ack();
      }
      expect(marks.length).toBeGreaterThan(1);
      expect(marks).toEqual(marks.map((_, i) => `${i}/${marks.length}`));
      expect(JSONCodec().decode(Buffer.concat(parts))).toEqual(big);
    } finally {
      await durable.close();
    }
  });
});
