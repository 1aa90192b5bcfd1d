import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { eventContracts } from '@ferry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Issue 11, item 6: the AsyncAPI document, generated from the event contracts, and events that keep to it. */
let ferry: TestFerry;
beforeAll(async () => {
  ferry = await startTestFerry({ FERRY_SYNC_HEARTBEAT_MS: '200' });
});
afterAll(async () => {
  await ferry?.stop();
});

const ok = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const answer = await ferry.post(path, body, headers);
  if (answer.status >= 300) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
  return answer.json;
};

describe('GET /api/v1/asyncapi.json', () => {
  it('is an AsyncAPI 3 document with a channel per aggregate and event type', async () => {
    const answer = await ferry.get('/v1/asyncapi.json');
    expect(answer.status).toBe(200);
    const document = answer.json;
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.channels['source.ActorCreated'].address).toBe('ferry.events.source.ActorCreated');
    expect(document.channels['connection.ConnectionRestored'].address).toBe(
      'ferry.events.connection.ConnectionRestored',
    );
    for (const [name, operation] of Object.entries<{ action: string; channel: { $ref: string } }>(
      document.operations,
    )) {
      expect(operation.action, name).toBe('receive');
      expect(document.channels[operation.channel.$ref.replace('#/channels/', '')], name).toBeDefined();
    }
    expect(Object.keys(document.components.messages).sort()).toEqual(
      eventContracts.map((c) => c.type).sort(),
    );
  });

  it('describes every event a run of Ferry stores: each one validates against its message', async () => {
    const sourceId = await createFakerSource(ferry, 'contracts', { count: 5, seed: 1 });
    const destinationId = await createLocalDestination(ferry);
    const connectionId = await createConnection(ferry, sourceId, destinationId);
    const connection = await ok('/v1/connections/get', { connectionId });
    await ok('/v1/connections/update', { ...connection, status: 'inactive' });
    await ok('/v1/history/restore', { resourceId: connectionId, version: 1 });
    await ok('/v1/connections/sync', { connectionId }, { Prefer: 'wait=30' });
    await ok('/v1/connections/reset', { connectionId }, { Prefer: 'wait=30' });
    await ok('/v1/sources/update', { sourceId, name: 'renamed', connectionConfiguration: { count: 6 } });
    await ok('/v1/workspaces/update', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      initialSetupComplete: true,
      onboardingComplete: true,
      anonymousDataCollection: false,
      news: false,
      securityUpdates: false,
    });
    await ok('/v1/history/restore', { resourceId: DEFAULT_WORKSPACE_ID, version: 1 });
    await ok('/v1/sources/delete', { sourceId });
    await ok('/v1/history/restore', { resourceId: sourceId, version: 2 });

    const document = (await ferry.get('/v1/asyncapi.json')).json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validators = new Map(
      Object.entries<{ payload: object }>(document.components.messages).map(([type, m]) => [
        type,
        ajv.compile(m.payload),
      ]),
    );
    const stored = await ferry.storedEvents();
    const seen = new Set<string>();
    for (const event of stored) {
      const validate = validators.get(event.type);
      expect(validate, `no contract for ${event.type}`).toBeDefined();
      const valid = validate!(JSON.parse(JSON.stringify(event)));
      expect(valid, `${event.type} ${JSON.stringify(validate!.errors)}`).toBe(true);
      const contract = eventContracts.find((c) => c.type === event.type)!;
      const [aggregate] = event.streamName.split('-');
      expect(contract.aggregates, event.type).toContain(aggregate);
      seen.add(event.type);
    }
    for (const type of [
      'ActorRestored',
      'ConnectionRestored',
      'WorkspaceRestored',
      'JobCreated',
      'AttemptSucceeded',
      'JobRegistered',
    ])
      expect(seen).toContain(type);
  });
});
