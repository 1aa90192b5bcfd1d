import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus, type Bus } from '@ferry/bus';
import { DomainError, operationById, subjectOf } from '@ferry/contracts';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { ReadStore } from '@ferry/read-store';
import { callOperation } from '@ferry/rpc';
import { pino } from 'pino';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorStream } from '../actor/actor.ts';
import { connectionStream } from '../connection/connection.ts';
import { createSecretSealer, fixedKeyring, secretKeyOf } from '@ferry/secrets';
import { startConfigService, type ConfigService } from '../service.ts';
import { builtInDefinitionId, type BuiltInDefinition } from './seed.ts';
import { DEFAULT_WORKSPACE_ID } from './workspaces.ts';

const catalog: BuiltInDefinition[] = (['source', 'destination'] as const).map((kind) => ({
  kind,
  name: `Test ${kind}`,
  dockerRepository: `ferry/${kind}-test`,
  dockerImageTag: '1.0.0',
  documentationUrl: 'https://example.com',
}));
const definitionId = (kind: 'source' | 'destination') => builtInDefinitionId(`ferry/${kind}-test`);

/** The same read store, waiting before each read: a replica that reads a little later than it could. */
const slowReads = (store: ReadStore): ReadStore => ({
  ...store,
  get: async (collection, id) => {
    await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 4));
    return store.get(collection, id);
  },
});

const RACERS = 50;

describe('a command answers its own write, with two config replicas on one event log and one read store', () => {
  let dir: string;
  let bus: Bus;
  let opened: Array<{ close(): Promise<void> }>;
  let services: ConfigService[];
  let events: EventStore;
  let errors: unknown[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-own-write-'));
    bus = createInProcessBus();
    opened = [];
    services = [];
    errors = [];
    const spec = { connectionSpecification: { type: 'object', properties: {} }, documentationUrl: null };
    await bus.handle(subjectOf(operationById('probeConnectorImage')), () => ({ body: spec }));
    const sealer = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
    // One after the other: both seed the catalog, and the second finds it there.
    for (let replica = 0; replica < 2; replica++) {
      const replicaEvents = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
      const reads = createSqliteReadStore({ file: join(dir, 'read-models.sqlite') });
      opened.push(replicaEvents, reads);
      services.push(
        await startConfigService({
          bus,
          events: replicaEvents,
          reads: slowReads(reads),
          sealer,
          catalog,
          customerId: randomUUID(),
          debugInfo: async () => ({}),
          // Background failures (the projector's) are logged at error: none may happen here.
          log: pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) }),
        }),
      );
    }
    events = opened[0] as EventStore;
  });
  afterEach(async () => {
    for (const service of services) await service.stop();
    await bus.close();
    for (const store of opened) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const options = { headers: { 'ferry-actor': 'test' }, deadlineMs: 30_000 };

  /** Sends the request again after each 409, as a client would: every racer ends with its own 200. */
  const untilAccepted = async <T>(send: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof DomainError && error.category === 'conflict')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      }
    }
  };

  /** Each answer shows its own value with the revision its own event got; the last one is what stays. */
  const expectOwnAnswers = async (
    stream: string,
    answers: Array<{ body: Record<string, unknown>; etag?: number }>,
    racerOf: (data: Record<string, unknown>) => unknown,
    finalRead: () => Promise<{ body: unknown; etag?: number }>,
  ) => {
    const recorded = await events.readStream(stream);
    const revisionOf = new Map(recorded.map((e) => [racerOf(e.data), e.revision]));
    const mismatches = answers
      .map((a, i) => ({ racer: i, shows: racerOf(a.body), etag: a.etag, own: revisionOf.get(i) }))
      .filter((a) => a.shows !== a.racer || a.etag !== a.own);
    expect(mismatches).toEqual([]);
    const last = recorded.at(-1)!;
    const final = await finalRead();
    expect(final.etag).toBe(last.revision);
    // Byte for byte: the last writer's answer is what the read model keeps.
    expect(JSON.stringify(final.body)).toBe(JSON.stringify(answers[racerOf(last.data) as number]!.body));
    expect(errors).toEqual([]);
  };

  const createSource = async (name: string) => {
    const body = { workspaceId: DEFAULT_WORKSPACE_ID, connectionConfiguration: {}, name };
    const request = { ...body, sourceDefinitionId: definitionId('source') };
    return (await callOperation(bus, 'createSource', request, options)).body;
  };

  it(`${RACERS} concurrent connections/update each answer their own schedule and revision`, async () => {
    const { sourceId } = await createSource('source');
    const destinationBody = { workspaceId: DEFAULT_WORKSPACE_ID, connectionConfiguration: {}, name: null };
    const destination = await callOperation(
      bus,
      'createDestination',
      { ...destinationBody, destinationDefinitionId: definitionId('destination') },
      options,
    );
    const { destinationId } = destination.body;
    const common = { syncSchema: { streams: [] }, status: 'active' as const };
    const connection = { ...common, sourceId, destinationId, syncMode: 'full_refresh' as const };
    const created = await callOperation(bus, 'createConnection', connection, options);
    const { connectionId } = created.body;

    // Racer i sets the schedule to i + 1 minutes, so its answer says which write it shows.
    const units = (data: Record<string, unknown>) => (data.schedule as { units: number } | null)?.units;
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        untilAccepted(() =>
          callOperation(
            bus,
            'updateConnection',
            {
              ...common,
              connectionId,
              schedule: { units: i + 1, timeUnit: 'minutes' },
              scheduleType: 'basic',
            },
            options,
          ),
        ),
      ),
    );
    await expectOwnAnswers(
      connectionStream(connectionId),
      answers,
      (data) => (units(data) ?? 0) - 1,
      () => callOperation(bus, 'getConnection', { connectionId }, options),
    );
  });

  it(`${RACERS} concurrent sources/update each answer their own name and revision`, async () => {
    const { sourceId } = await createSource('racer -1');
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        untilAccepted(() =>
          callOperation(
            bus,
            'updateSource',
            { sourceId, connectionConfiguration: {}, name: `racer ${i}` },
            options,
          ),
        ),
      ),
    );
    await expectOwnAnswers(
      actorStream('source', sourceId),
      answers,
      (data) => Number(String(data.name).slice('racer '.length)),
      () => callOperation(bus, 'getSource', { sourceId }, options),
    );
  });
});
