import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus } from '@ferry/bus';
import { operationById, subjectOf } from '@ferry/contracts';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { callOperation } from '@ferry/rpc';
import { createSecretSealer, fixedKeyring, secretKeyOf } from '@ferry/secrets';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { actorStream } from '../actor/actor.ts';
import { startConfigService } from '../service.ts';
import { builtInDefinitionId } from './seed.ts';
import { DEFAULT_WORKSPACE_ID } from './workspaces.ts';

/**
 * A connector's CONTROL message, as the runner passes it on (issue 12, part C): the new configuration
 * becomes the source's next version, through an ActorUpdated event, sealed by the connector's spec.
 */
it('stores a configuration a connector sent as a new sealed version of its actor', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-connector-config-'));
  const bus = createInProcessBus();
  const events = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const reads = createSqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  const sealer = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
  const spec = {
    connectionSpecification: {
      type: 'object',
      properties: { host: { type: 'string' }, token: { type: 'string', airbyte_secret: true } },
    },
    documentationUrl: null,
  };
  let probes = 0;
  await bus.handle(subjectOf(operationById('probeConnectorImage')), () => {
    probes += 1;
    return { body: spec };
  });
  const repository = 'ferry/source-test';
  const service = await startConfigService({
    bus,
    events,
    reads,
    sealer,
    catalog: [
      {
        kind: 'source',
        name: 'Test',
        dockerRepository: repository,
        dockerImageTag: '1',
        documentationUrl: '',
      },
    ],
    customerId: randomUUID(),
    debugInfo: async () => ({}),
    log: pino({ level: 'silent' }),
  });
  const options = { headers: { 'ferry-actor': 'test' }, deadlineMs: 30_000 };
  try {
    const created = await callOperation(
      bus,
      'createSource',
      {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: builtInDefinitionId(repository),
        connectionConfiguration: { host: 'h', token: 'old' },
        name: 'with a token',
      },
      options,
    );
    const actorId = created.body.sourceId;
    // What the runner sends: the token sealed, as it was in the stored configuration.
    const configuration = sealer.seal({ host: 'h', token: 'refreshed' }, spec.connectionSpecification);
    const answer = await callOperation(
      bus,
      'updateActorConfiguration',
      { kind: 'source', actorId, configuration },
      options,
    );
    expect(answer.body).toEqual({ updated: true });
    const stored = await callOperation(bus, 'getActorConfiguration', { kind: 'source', actorId }, options);
    expect(sealer.unseal(stored.body.configuration)).toEqual({ host: 'h', token: 'refreshed' });
    const recorded = await events.readStream(actorStream('source', actorId));
    expect(recorded.map((e) => e.type)).toEqual(['ActorCreated', 'ActorUpdated']);
    expect(JSON.stringify(recorded)).not.toContain('refreshed');
    const read = await callOperation(bus, 'getSource', { sourceId: actorId }, options);
    expect(read.body).toMatchObject({
      name: 'with a token',
      connectionConfiguration: { host: 'h', token: '**********' },
    });
    // The jobs service never replaces an image's spec, so the config service asked for it once.
    const request = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: builtInDefinitionId(repository),
    };
    const again = { ...request, connectionConfiguration: { host: 'h2' }, name: 'another' };
    await callOperation(bus, 'createSource', again, options);
    expect(probes).toBe(1);
  } finally {
    await service.stop();
    await bus.close();
    await events.close();
    await reads.close();
    await rm(dir, { recursive: true, force: true });
  }
});
