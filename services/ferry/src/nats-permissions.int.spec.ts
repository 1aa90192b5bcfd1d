import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bus, connectNatsBus, type Subscription } from '@ferry/bus';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { createTestCertificates } from '@ferry/bus/testing/certificates';
import {
  ALL_EVENTS_SUBJECT,
  allOperations,
  operationById,
  RUNNER_CANCEL_SUBJECT,
  subjectOf,
} from '@ferry/contracts';
import { connect, type NatsError } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsConnectionName } from './nats-connection.ts';
import { inboxOf } from './nats-permissions.ts';
import { EVENTS_READER, natsServerConfig, passwordVariable, sampleUsers } from './nats-server-config.ts';
import { SERVICES, type ServiceRole } from './settings.ts';

/** The sample configuration, its certificates made here, against a real nats-server. */
let dir: string;
let server: NatsServer;
let caFile: string;
const passwordOf = (user: string) => `pw-${user}-${process.pid}`;
const buses = new Map<ServiceRole, Bus>();

const as = (service: ServiceRole) => buses.get(service)!;
const credentials = (user: string) => ({ user, password: passwordOf(user) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-nats-permissions-'));
  caFile = createTestCertificates(dir).ca;
  writeFileSync(join(dir, 'nats-server.conf'), natsServerConfig({ tlsDir: dir }));
  const env = Object.fromEntries(sampleUsers().map((user) => [passwordVariable(user), passwordOf(user)]));
  server = await startNatsServer({ configFile: join(dir, 'nats-server.conf'), env });
  for (const service of SERVICES) {
    const name = natsConnectionName([service]);
    const bus = await connectNatsBus({ servers: server.url, name, auth: credentials(name), tls: { caFile } });
    buses.set(service, bus);
  }
});
afterAll(async () => {
  await Promise.all([...buses.values()].map((bus) => bus.close()));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'allowed',
    (error: { code?: string }) => error.code ?? String(error),
  );
/** A subscription's outcome; one that was allowed ends again, so it cannot take a later test's messages. */
const subscribing = (work: Promise<Subscription>) => outcome(work.then((sub) => sub.unsubscribe()));

describe('the sample nats-server configuration', () => {
  it('lets no client in without credentials', async () => {
    await expect(connectNatsBus({ servers: server.url, tls: { caFile } })).rejects.toThrow(
      `Cannot connect to NATS at ${server.url}: Authorization Violation`,
    );
  });

  it('lets each service answer exactly the operations the table gives it', async () => {
    for (const service of SERVICES)
      for (const operation of allOperations) {
        const handling = as(service).handle(subjectOf(operation), () => null, { queue: `ferry-${service}` });
        const expected = operation.service === service ? 'allowed' : 'bus.not_permitted';
        expect(await subscribing(handling), `${service} answering ${operation.operationId}`).toBe(expected);
      }
  });

  it('lets no service subscribe to ferry.internal.> or to another service inbox', async () => {
    for (const service of SERVICES) {
      expect(await subscribing(as(service).subscribe('ferry.internal.>', () => {}))).toBe(
        'bus.not_permitted',
      );
      expect(await subscribing(as(service).subscribe('>', () => {}))).toBe('bus.not_permitted');
      for (const other of SERVICES.filter((s) => s !== service))
        expect(await subscribing(as(service).subscribe(`${inboxOf(other)}.>`, () => {}))).toBe(
          'bus.not_permitted',
        );
    }
  });

  it("carries the jobs service's work to a runner and the runner's answer back, and the cancel to runners only", async () => {
    await as('runner').handle('ferry.internal.runner.command', () => ({ succeeded: true }), {
      queue: 'ferry-runner',
    });
    expect(await as('jobs').request('ferry.internal.runner.command', {})).toEqual({ succeeded: true });
    expect(await subscribing(as('runner').subscribe(RUNNER_CANCEL_SUBJECT, () => {}))).toBe('allowed');
    for (const service of SERVICES.filter((s) => s !== 'runner'))
      expect(await subscribing(as(service).subscribe(RUNNER_CANCEL_SUBJECT, () => {}))).toBe(
        'bus.not_permitted',
      );
  });

  it("keeps the gateway from asking for an actor's stored configuration", async () => {
    const subject = subjectOf(operationById('getActorConfiguration'));
    await as('config').handle(subject, () => ({ configuration: {} }), { queue: 'ferry-config' });
    expect(await outcome(as('gateway').request(subject, {}))).toBe('bus.not_permitted');
    expect(await outcome(as('jobs').request(subject, {}))).toBe('allowed');
  });

  it('lets an events reader read the events the audit service publishes, and publish nothing', async () => {
    const reader = await connectNatsBus({
      servers: server.url,
      auth: credentials(EVENTS_READER),
      tls: { caFile },
    });
    const heard: unknown[] = [];
    await reader.subscribe(ALL_EVENTS_SUBJECT, (event) => void heard.push(event));
    await as('audit').publish('ferry.events.source.ActorCreated', { type: 'ActorCreated' });
    await expect.poll(() => heard).toEqual([{ type: 'ActorCreated' }]);
    expect(await outcome(reader.request(subjectOf(operationById('listSourcesForWorkspace')), {}))).toBe(
      'bus.not_permitted',
    );
    await reader.close();
  });

  it('tells a plain nats.js client of a denied subscription on the subscription, and keeps it connected', async () => {
    const { user, password: pass } = credentials(natsConnectionName(['gateway']));
    const nc = await connect({ servers: server.url, user, pass, tls: { caFile } });
    const denied: NatsError[] = [];
    const sub = nc.subscribe('ferry.internal.>', { callback: (error) => error && denied.push(error) });
    await nc.flush();
    expect(denied.map((error) => error.code)).toEqual(['PERMISSIONS_VIOLATION']);
    expect(denied[0]?.message).toContain('Permissions Violation for Subscription to "ferry.internal.>"');
    expect(sub.isClosed()).toBe(true);
    expect(nc.isClosed()).toBe(false);
    await nc.close();
  });
});
