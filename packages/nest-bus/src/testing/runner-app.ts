import { type Bus, connectNatsBus, createInProcessBus } from '@ferry/bus';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { notFound } from '@ferry/contracts';
import { createMetricsRegistry } from '@ferry/metrics';
import type { ServiceHandlers } from '@ferry/rpc';
import { type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { BusTransport, nestLoggerOf, type OperationContext, operationsModule } from '../index.ts';

// The integration tests' service: a runner on Nest, over either transport, whose logs and metrics they read.

/** A small runner service: its three operations, with switches to fail or to hold an answer back. */
const runnerHandlers = (
  seen: OperationContext[],
  held: Held,
): ServiceHandlers<'runner', OperationContext> => ({
  runConnectorCommand: async (request, ctx) => {
    seen.push(ctx);
    if (request.image === 'missing:1') throw notFound('image', request.image);
    if (request.image === 'broken:1') throw new Error('the disk is full at /secret/path');
    return { body: { succeeded: true, failureReason: null, output: { image: request.image } } };
  },
  runSyncAttempt: async () => ({ body: { accepted: true } }),
  pingRunner: async (_request, ctx) => {
    seen.push(ctx);
    held.started?.();
    await held.until;
    return { body: { ready: true } };
  },
});

export interface Held {
  until: Promise<void>;
  started?: () => void;
}

export const command = (image: string) => ({
  jobId: 1,
  attempt: 1,
  image,
  command: 'spec' as const,
  config: null,
  logPath: '/tmp/log',
  timeoutMs: 1_000,
});

export interface Harness {
  app: INestMicroservice;
  caller: Bus;
  seen: OperationContext[];
  held: Held;
  logs: Array<Record<string, unknown>>;
  metrics: ReturnType<typeof createMetricsRegistry>;
}

export const startApp = async (service: Bus, caller: Bus): Promise<Harness> => {
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const metrics = createMetricsRegistry();
  const seen: OperationContext[] = [];
  const held: Held = { until: Promise.resolve() };
  const SEEN = Symbol('seen');
  // A decorator is a plain function returning nothing: apply it to a class declared first.
  class RunnerModule {}
  Module({
    imports: [
      operationsModule({
        service: 'runner',
        handlers: {
          useFactory: (state: [OperationContext[], Held]) => runnerHandlers(...state),
          inject: [SEEN],
        },
        providers: [{ provide: SEEN, useValue: [seen, held] }],
        log,
        metrics,
      }),
    ],
  })(RunnerModule);
  const app = await NestFactory.createMicroservice(RunnerModule, {
    strategy: new BusTransport({ bus: service, service: 'runner' }),
    logger: nestLoggerOf(log),
    abortOnError: false,
  });
  await app.listen();
  return { app, caller, seen, held, logs, metrics };
};

export const transports: Array<
  [string, () => Promise<{ service: Bus; caller: Bus; url?: string; stop(): Promise<void> }>]
> = [
  [
    'in-process',
    async () => {
      const bus = createInProcessBus();
      return { service: bus, caller: bus, stop: () => bus.close() };
    },
  ],
  [
    'nats',
    async () => {
      const server: NatsServer = await startNatsServer();
      const service = await connectNatsBus({ servers: server.url, name: 'ferry-runner' });
      const caller = await connectNatsBus({ servers: server.url, name: 'ferry-gateway' });
      return {
        service,
        caller,
        url: server.url,
        stop: async () => {
          await caller.close();
          await service.close();
          await server.stop();
        },
      };
    },
  ],
];
