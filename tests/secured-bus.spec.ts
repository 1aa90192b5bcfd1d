import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { createTestCertificates } from '@ferry/bus/testing/certificates';
import { EVENTS_READER, natsServerConfig, passwordVariable, sampleUsers } from '@ferry/ferry';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  fakerIntoLocalJson,
  httpApi,
  killConnectorProcesses,
  ok,
  syncing,
  untilJob,
  untilJobEnds,
  untilNoConnectorProcess,
} from './support/jobs.ts';
import { type FerryProcess, killAllFerries, spawnFerry, until, removeWorkDir } from './support/processes.ts';

/**
 * Issue 8: every service in its own process over a nats-server run with the sample configuration
 * (deploy/nats/nats-server.conf as generated, with certificates made here): TLS, one user per service, each
 * allowed only its own subjects. What a user does through the API still works, so the permissions are
 * enough, not only tight; and no service was refused anything on the way.
 */
const SERVICES = ['config', 'jobs', 'runner', 'audit', 'gateway'] as const;

let dir: string;
let nats: NatsServer;
let env: Record<string, string>;
let api: Api;
let url: string;
const processes: FerryProcess[] = [];
const passwordOf = (user: string) => `pw-${user}-${process.pid}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-secured-bus-'));
  const certs = createTestCertificates(dir);
  writeFileSync(join(dir, 'nats-server.conf'), natsServerConfig({ tlsDir: dir }));
  const passwords = Object.fromEntries(
    sampleUsers().map((user) => [passwordVariable(user), passwordOf(user)]),
  );
  nats = await startNatsServer({ configFile: join(dir, 'nats-server.conf'), env: passwords });
  env = {
    NATS_URL: `tls://127.0.0.1:${nats.port}`,
    NATS_TLS_CA: certs.ca,
    FERRY_DATA_DIR: join(dir, 'data'),
    LOCAL_ROOT: join(dir, 'local'),
    FERRY_SCHEDULER_TICK_MS: '0',
  };
  for (const service of SERVICES) {
    const user = `ferry-${service}`;
    const own = { FERRY_SERVICES: service, NATS_USER: user, NATS_PASSWORD: passwordOf(user) };
    processes.push(await spawnFerry({ env: { ...env, ...own } }));
  }
  url = processes.at(-1)!.url!;
  api = httpApi(url);
  await until('every service ready', async () => (await fetch(`${url}/v1/ready`)).status === 200);
}, 60_000);

afterAll(async () => {
  if (env) killConnectorProcesses(env.LOCAL_ROOT!);
  await killAllFerries();
  await nats?.stop();
  if (dir) removeWorkDir(dir);
});

describe('Ferry over NATS with TLS and a user per service', () => {
  it('checks, discovers and syncs: a source from config reaches the runner through jobs', async () => {
    const { sourceId, destinationId, connectionId } = await fakerIntoLocalJson(api, 50, 'secured');
    expect((await ok(api, 'sources/check_connection', { sourceId })).status).toBe('succeeded');
    expect((await ok(api, 'destinations/check_connection', { destinationId })).status).toBe('succeeded');
    const sync = await ok(api, 'connections/sync', { connectionId });
    const info = await untilJobEnds(api, sync.job.id, 30_000);
    expect(info.job.status).toBe('succeeded');
    expect(info.attempts.at(-1).attempt.recordsSynced).toBe(50);
  });

  it('cancels a running sync: the cancel reaches the runner that runs it', async () => {
    const { connectionId } = await fakerIntoLocalJson(api, 3_000_000, 'secured-cancel');
    const sync = await ok(api, 'connections/sync', { connectionId });
    await untilJob(api, sync.job.id, 'the sync to run with records', syncing, 30_000, 50);
    expect((await ok(api, 'jobs/cancel', { id: sync.job.id })).job.status).toBe('cancelled');
    await untilNoConnectorProcess(env.LOCAL_ROOT!, 5_000);
  });

  it("relays events to an outside reader, who cannot read a service's traffic", async () => {
    const nc: NatsConnection = await connect({
      servers: env.NATS_URL!,
      user: EVENTS_READER,
      pass: passwordOf(EVENTS_READER),
      tls: { caFile: env.NATS_TLS_CA! },
    });
    // Fails the iteration below when no event comes within 10 s.
    const events = nc.subscribe('ferry.events.>', { max: 1, timeout: 10_000 });
    const refused: Error[] = [];
    nc.subscribe('ferry.internal.>', { callback: (error) => error && refused.push(error) });
    await nc.flush();
    expect(refused.map((error) => error.message)).toEqual([expect.stringContaining('Permissions Violation')]);
    await fakerIntoLocalJson(api, 1, 'secured-events');
    for await (const msg of events) expect(msg.subject).toMatch(/^ferry\.events\./);
    expect(events.getProcessed()).toBe(1);
    await nc.close();
  });

  it('refused no service anything on the way', () => {
    for (const process of processes)
      expect(process.output()).not.toMatch(/not_permitted|Permissions Violation/);
  });
});
