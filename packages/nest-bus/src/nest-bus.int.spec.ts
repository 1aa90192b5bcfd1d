import { createInProcessBus } from '@ferry/bus';
import { DomainError, HEADER, operationById, subjectOf } from '@ferry/contracts';
import { createMetricsRegistry } from '@ferry/metrics';
import { callOperation } from '@ferry/rpc';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusTransport, nestLoggerOf, OPERATION_DURATION, operationsModule } from './index.ts';
import { command, type Harness, startApp, transports } from './testing/runner-app.ts';

const options = { headers: {}, deadlineMs: 5_000 };

describe.each(transports)('a Nest microservice on the %s bus', (name, open) => {
  let env: Awaited<ReturnType<(typeof transports)[number][1]>>;
  let h: Harness;

  beforeAll(async () => {
    env = await open();
    h = await startApp(env.service, env.caller);
  });
  afterAll(async () => {
    await h?.app.close();
    await env?.stop();
  });

  it('answers the operations the table gives its service, bodies parsed with their schemas', async () => {
    const ping = await callOperation(h.caller, 'pingRunner', {}, options);
    expect(ping.body).toEqual({ ready: true });
    const ran = await callOperation(h.caller, 'runConnectorCommand', command('source-faker:1'), options);
    expect(ran.body.output).toEqual({ image: 'source-faker:1' });
    const invalid = callOperation(h.caller, 'runConnectorCommand', { ...command('x'), image: '' }, options);
    await expect(invalid).rejects.toMatchObject({ category: 'validation' });
  });

  it('gives each message a logger carrying its ids and operation', async () => {
    const headers = { [HEADER.requestId]: 'req-1', [HEADER.correlationId]: 'corr-1', [HEADER.actor]: 'ann' };
    await callOperation(h.caller, 'pingRunner', {}, { headers, deadlineMs: 5_000 });
    const ctx = h.seen.find((c) => c.requestId === 'req-1')!;
    expect(ctx.log.bindings()).toMatchObject({
      requestId: 'req-1',
      correlationId: 'corr-1',
      actor: 'ann',
      operation: 'pingRunner',
    });
    expect(h.logs).toContainEqual(
      expect.objectContaining({ requestId: 'req-1', operation: 'pingRunner', msg: 'operation answered' }),
    );
  });

  it('answers a DomainError whole', async () => {
    const call = callOperation(h.caller, 'runConnectorCommand', command('missing:1'), options);
    const error = await call.catch((e: unknown) => e);
    expect(DomainError.is(error)).toBe(true);
    expect((error as DomainError).toJSON()).toEqual({
      code: 'image.not_found',
      category: 'not_found',
      message: 'image not found: missing:1',
      id: 'missing:1',
    });
  });

  it('answers any other error as internal, without its detail, and logs it with the ids', async () => {
    const headers = { [HEADER.requestId]: 'req-broken' };
    const call = callOperation(h.caller, 'runConnectorCommand', command('broken:1'), {
      headers,
      deadlineMs: 5_000,
    });
    const error = await call.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal', category: 'internal' });
    expect((error as Error).message).not.toContain('/secret/path');
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'operation failed',
        requestId: 'req-broken',
        operation: 'runConnectorCommand',
        err: expect.objectContaining({ message: 'the disk is full at /secret/path' }),
      }),
    );
  });

  it('records each operation’s duration by service, operation and outcome', async () => {
    const durations = h.metrics.histogram(OPERATION_DURATION);
    const labels = { service: 'runner', operation: 'runSyncAttempt', outcome: 'ok' };
    const before = durations.get(labels)?.count ?? 0;
    const attempt = {
      jobId: 1,
      attempt: 1,
      kind: 'reset' as const,
      connectionId: 'c',
      source: null,
      destination: { image: 'd:1', config: {} },
      catalog: {},
      state: null,
      logPath: '/tmp/l',
      heartbeatIntervalMs: 1_000,
    };
    for (let i = 0; i < 3; i++) await callOperation(h.caller, 'runSyncAttempt', attempt, options);
    expect(durations.get(labels)?.count).toBe(before + 3);
    expect(h.metrics.render()).toContain(
      `ferry_operations_total{service="runner",operation="runConnectorCommand",outcome="not_found"} 1`,
    );
  });

  it.runIf(name === 'nats')(
    'answers a plain NATS request, without Ferry headers, with the bare envelope',
    async () => {
      const nc = await connect({ servers: env.url! });
      try {
        const subject = subjectOf(operationById('pingRunner'));
        const reply = await nc.request(subject, new TextEncoder().encode('{}'), { timeout: 5_000 });
        expect(JSON.parse(new TextDecoder().decode(reply.data))).toEqual({
          ok: true,
          value: { body: { ready: true } },
        });
        const bad = await nc.request(subject, new TextEncoder().encode('not json'), { timeout: 5_000 });
        expect(JSON.parse(new TextDecoder().decode(bad.data))).toMatchObject({
          ok: false,
          error: { code: 'bus.bad_payload', category: 'validation' },
        });
      } finally {
        await nc.close();
      }
    },
  );
});

describe.each(transports)('closing a Nest microservice on the %s bus', (_name, open) => {
  it('stops taking messages, answers the one in flight, then closes', async () => {
    const env = await open();
    try {
      const h = await startApp(env.service, env.caller);
      let release = () => {};
      const started = new Promise<void>((resolve) => {
        h.held.started = resolve;
      });
      h.held.until = new Promise<void>((resolve) => {
        release = resolve;
      });
      const inFlight = callOperation(h.caller, 'pingRunner', {}, options);
      await started;
      let closed = false;
      const closing = h.app.close().then(() => {
        closed = true;
      });
      await new Promise((resume) => setTimeout(resume, 100));
      expect(closed).toBe(false);
      const late = callOperation(h.caller, 'runConnectorCommand', command('late:1'), options);
      await expect(late).rejects.toMatchObject({ code: 'bus.no_responders' });
      release();
      await expect(inFlight).resolves.toEqual({ body: { ready: true } });
      await closing;
      expect(closed).toBe(true);
    } finally {
      await env.stop();
    }
  });
});

describe('starting a Nest microservice on the bus', () => {
  it('refuses a service whose handlers miss an operation', async () => {
    const bus = createInProcessBus();
    const log = pino({ level: 'silent' });
    const handlers = { runConnectorCommand: async () => ({ body: null }) };
    class Incomplete {}
    Module({
      imports: [
        operationsModule({
          service: 'runner',
          handlers: { useFactory: () => handlers as never },
          log,
          metrics: createMetricsRegistry(),
        }),
      ],
    })(Incomplete);
    const app = NestFactory.createMicroservice(Incomplete, {
      strategy: new BusTransport({ bus, service: 'runner' }),
      logger: nestLoggerOf(log),
      abortOnError: false,
    });
    await expect(app).rejects.toThrow('runner service lacks handlers for runSyncAttempt, pingRunner');
    await bus.close();
  });
});
