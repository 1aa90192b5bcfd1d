import { DomainError } from '@ferry/contracts';
import { connect, headers as natsHeaders } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, sleep } from './contract/support.ts';
import { connectNatsBus } from './nats.ts';
import { type NatsServer, startNatsServer } from './testing/nats-server.ts';

const liveness = { heartbeatMs: 200, livenessMs: 800 };

const failure = async (work: Promise<unknown>) => {
  const started = Date.now();
  const error = await work.then(
    () => expect.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { error: error as DomainError, waitedMs: Date.now() - started };
};

describe('NATS bus under faults', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(() => server.stop());

  it('gives up on a responder that fell silent after its liveness window, not at the deadline', async () => {
    // A subscriber that takes the request and then says nothing is what a kill -9ed replica looks like.
    const dead = await connect({ servers: server.url });
    dead.subscribe('faults.silent', { queue: 'ferry-config', callback: () => {} });
    await dead.flush();
    const bus = await connectNatsBus({ servers: server.url, liveness });
    const { error, waitedMs } = await failure(bus.request('faults.silent', {}, { timeoutMs: 60_000 }));
    expect(error.code).toBe('bus.responder_lost');
    expect(error.category).toBe('unavailable');
    expect(waitedMs).toBeLessThan(10_000);
    await bus.close();
    await dead.close();
  });

  it('waits for a responder that works longer than the liveness window, hearing its heartbeats', async () => {
    const responder = await connectNatsBus({ servers: server.url, liveness });
    const caller = await connectNatsBus({ servers: server.url, liveness });
    await responder.handle('faults.slow', async () => {
      await sleep(liveness.livenessMs * 3);
      return 'done';
    });
    expect(await caller.request('faults.slow', {}, { timeoutMs: 20_000 })).toBe('done');
    await Promise.all([caller.close(), responder.close()]);
  });

  it('answers a plain NATS client with one reply, and an answer too large for it with an error', async () => {
    const bus = await connectNatsBus({ servers: server.url, liveness });
    await bus.handle('faults.plain', (payload) => payload);
    const plain = await connect({ servers: server.url });
    const small = await plain.request('faults.plain', new TextEncoder().encode('{"a":1}'), {
      timeout: 5_000,
    });
    expect(small.json()).toEqual({ ok: true, value: { a: 1 } });
    await bus.handle('faults.huge', () => 'x'.repeat(2 * 1024 * 1024));
    const huge = await plain.request('faults.huge', new Uint8Array(0), { timeout: 5_000 });
    expect(huge.json()).toMatchObject({ ok: false, error: { code: 'bus.reply_too_large' } });
    // The transport's own headers never reach a handler.
    await bus.handle('faults.headers', (_payload, context) => context.headers);
    const headers = natsHeaders();
    headers.set('ferry-actor', 'alice');
    const seen = await plain.request('faults.headers', new Uint8Array(0), { timeout: 5_000, headers });
    expect(seen.json()).toEqual({ ok: true, value: { 'ferry-actor': 'alice' } });
    await plain.close();
    await bus.close();
  });
});

describe('NATS bus when the server goes away', () => {
  it('fails a request in flight at once when the connection drops, and works again after a restart', async () => {
    const own = await startNatsServer();
    const responder = await connectNatsBus({ servers: own.url, liveness });
    const caller = await connectNatsBus({ servers: own.url, liveness });
    const held = gate();
    await responder.handle('faults.held', () => held.opened.then(() => 'late'));
    await responder.handle('faults.echo', (payload) => payload);
    const inFlight = failure(caller.request('faults.held', {}, { timeoutMs: 60_000 }));
    await sleep(100);
    await own.kill9();
    const { error, waitedMs } = await inFlight;
    expect(error.code).toBe('bus.disconnected');
    expect(waitedMs).toBeLessThan(5_000);
    held.open();
    const again = await startNatsServer({ port: own.port });
    try {
      await expect
        .poll(() => caller.request('faults.echo', { n: 1 }).catch(() => null), { timeout: 15_000 })
        .toEqual({ n: 1 });
    } finally {
      await Promise.all([caller.close(), responder.close()]);
      await again.stop();
    }
  });
});
