import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  startTestFerry,
  type TestFerry,
  usersSchema,
} from './support/ferry.ts';

/** Issue 11, items 1 to 4 and 7, end to end over HTTP: versions, diffs, restores, the audit trail, as_of. */
let ferry: TestFerry;
const basic = { Authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` };
let bearer: Record<string, string>;
let tokenId: string;

beforeAll(async () => {
  ferry = await startTestFerry({ FERRY_AUTH_USER: 'ada', FERRY_AUTH_PASSWORD: 'lovelace' });
  const token = await ferry.post('/v1/api_tokens/create', { name: 'history', role: 'admin' }, basic);
  tokenId = token.json.tokenId;
  bearer = { Authorization: `Bearer ${token.json.token}` };
});
afterAll(async () => {
  await ferry?.stop();
});

const ok = async (path: string, body: unknown, headers: Record<string, string> = basic) => {
  const answer = await ferry.post(path, body, headers);
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
  return answer.json;
};
/** Two decisions a few milliseconds apart, so a time between them exists. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('a source updated twice, deleted, then restored', () => {
  let sourceId: string;
  let definitionId: string;
  let versions: Array<{ version: number; at: string; actor: string; type: string; changes: unknown[] }>;

  beforeAll(async () => {
    definitionId = await definitionIdByName(ferry, 'source', 'Faker', basic);
    const created = await ok('/v1/sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: definitionId,
      connectionConfiguration: { count: 10, seed: 1 },
      name: 'users v1',
    });
    sourceId = created.sourceId;
    await pause();
    await ok(
      '/v1/sources/update',
      { sourceId, name: 'users v2', connectionConfiguration: { count: 20, seed: 1 } },
      bearer,
    );
    await pause();
    await ok('/v1/sources/update', {
      sourceId,
      name: 'users v3',
      connectionConfiguration: { count: 20, seed: 2 },
    });
    await pause();
    const deleted = await ferry.post('/v1/sources/delete', { sourceId }, bearer);
    expect(deleted.status).toBe(204);
    versions = (await ok('/v1/history/list', { resourceId: sourceId })).versions;
  });

  it('shows 4 versions, each with its type and actor', () => {
    expect(versions.map(({ version, type, actor }) => ({ version, type, actor }))).toEqual([
      { version: 1, type: 'created', actor: 'user:ada' },
      { version: 2, type: 'updated', actor: `token:${tokenId}` },
      { version: 3, type: 'updated', actor: 'user:ada' },
      { version: 4, type: 'deleted', actor: `token:${tokenId}` },
    ]);
    expect(versions[1]!.changes).toEqual([
      { op: 'replace', path: '/connectionConfiguration/count', value: 20 },
      { op: 'replace', path: '/name', value: 'users v2' },
    ]);
    expect(versions[3]!.changes).toEqual([{ op: 'remove', path: '' }]);
  });

  it('gets each version as the read model was then', async () => {
    const v2 = await ok('/v1/history/get', { resourceId: sourceId, version: 2 });
    expect(v2).toEqual({
      resourceType: 'source',
      resourceId: sourceId,
      version: 2,
      at: versions[1]!.at,
      actor: `token:${tokenId}`,
      deleted: false,
      resource: {
        sourceDefinitionId: definitionId,
        sourceId,
        workspaceId: DEFAULT_WORKSPACE_ID,
        connectionConfiguration: { count: 20, seed: 1 },
        name: 'users v2',
        sourceName: 'Faker',
      },
    });
    const v4 = await ok('/v1/history/get', { resourceId: sourceId, version: 4 });
    expect(v4).toMatchObject({ deleted: true, resource: { name: 'users v3' } });
  });

  it('diffs two versions as a JSON Patch and one line per changed field', async () => {
    const diff = await ok('/v1/history/diff', { resourceId: sourceId, from: 1, to: 3 });
    expect(diff.patch).toEqual([
      { op: 'replace', path: '/connectionConfiguration/count', value: 20 },
      { op: 'replace', path: '/connectionConfiguration/seed', value: 2 },
      { op: 'replace', path: '/name', value: 'users v3' },
    ]);
    expect(diff.summary).toEqual([
      'connectionConfiguration.count: 10 → 20',
      'connectionConfiguration.seed: 1 → 2',
      'name: "users v1" → "users v3"',
    ]);
    const deletion = await ok('/v1/history/diff', { resourceId: sourceId, from: 3, to: 4 });
    expect(deletion).toMatchObject({ patch: [], summary: ['deleted: false → true'] });
  });

  it('shows the middle version as of a time between the two updates', async () => {
    const between = new Date((Date.parse(versions[1]!.at) + Date.parse(versions[2]!.at)) / 2).toISOString();
    const asOf = await ok('/v1/workspaces/as_of', { workspaceId: DEFAULT_WORKSPACE_ID, at: between });
    const source = asOf.sources.find((s: { sourceId: string }) => s.sourceId === sourceId);
    expect(source).toMatchObject({ name: 'users v2', connectionConfiguration: { count: 20, seed: 1 } });
    const now = await ok('/v1/workspaces/as_of', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      at: new Date().toISOString(),
    });
    expect(now.sources.map((s: { sourceId: string }) => s.sourceId)).not.toContain(sourceId);
  });

  it('restores version 3 as version 5, undeleted, with a new event', async () => {
    const restored = await ferry.post('/v1/history/restore', { resourceId: sourceId, version: 3 }, basic);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.headers.get('etag')).toBe('"4"');
    expect(restored.json).toMatchObject({
      sourceId,
      name: 'users v3',
      connectionConfiguration: { count: 20, seed: 2 },
    });
    expect((await ok('/v1/sources/get', { sourceId })).name).toBe('users v3');
    const list = await ok('/v1/sources/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.sources.map((s: { sourceId: string }) => s.sourceId)).toContain(sourceId);
    const after = (await ok('/v1/history/list', { resourceId: sourceId })).versions;
    expect(after.slice(0, 4)).toEqual(versions);
    expect(after[4]).toMatchObject({ version: 5, type: 'restored', actor: 'user:ada' });
    expect(after[4].changes).toEqual([{ op: 'add', path: '', value: restored.json }]);
  });

  it('audit/list filtered by the source shows exactly its changes, newest first', async () => {
    const history = (await ok('/v1/history/list', { resourceId: sourceId })).versions;
    const audit = await ok('/v1/audit/list', { resourceId: sourceId });
    expect(audit.nextPageToken).toBeUndefined();
    expect(audit.entries.map((e: { type: string }) => e.type)).toEqual([
      'ActorRestored',
      'ActorDeleted',
      'ActorUpdated',
      'ActorUpdated',
      'ActorCreated',
    ]);
    expect(audit.entries.map((e: { changes: unknown }) => e.changes)).toEqual(
      history.map((v: { changes: unknown }) => v.changes).reverse(),
    );
    expect(audit.entries[0]).toEqual({
      id: expect.any(String),
      position: expect.any(Number),
      at: history[4].at,
      actor: 'user:ada',
      resourceType: 'source',
      resourceId: sourceId,
      workspaceId: DEFAULT_WORKSPACE_ID,
      type: 'ActorRestored',
      correlationId: expect.any(String),
      changes: history[4].changes,
    });
  });

  it('audit/list filters by actor, type and time, and pages with opaque tokens', async () => {
    const byToken = await ok('/v1/audit/list', { resourceId: sourceId, actor: `token:${tokenId}` });
    expect(byToken.entries.map((e: { type: string }) => e.type)).toEqual(['ActorDeleted', 'ActorUpdated']);
    const updates = await ok('/v1/audit/list', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      types: ['ActorUpdated'],
    });
    expect(updates.entries.filter((e: { resourceId: string }) => e.resourceId === sourceId)).toHaveLength(2);
    const window = await ok('/v1/audit/list', {
      resourceId: sourceId,
      from: versions[1]!.at,
      to: versions[2]!.at,
    });
    expect(window.entries.map((e: { at: string }) => e.at)).toEqual([versions[2]!.at, versions[1]!.at]);

    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await ok('/v1/audit/list', { resourceId: sourceId, pageSize: 2, pageToken });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e: { id: string }) => e.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    const all = await ok('/v1/audit/list', { resourceId: sourceId });
    expect(seen).toEqual(all.entries.map((e: { id: string }) => e.id));
  });
});

describe('secrets in history and the audit trail', () => {
  it('show masked, and a changed secret shows as replaced by the mask', async () => {
    const created = await ok('/v1/sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Postgres', basic),
      connectionConfiguration: {
        host: 'db',
        port: 5432,
        database: 'app',
        username: 'u',
        password: 'hunter2-secret',
      },
      name: 'with a secret',
    });
    const { sourceId, connectionConfiguration } = created;
    await ok('/v1/sources/update', { sourceId, name: 'same secret', connectionConfiguration });
    await ok('/v1/sources/update', {
      sourceId,
      name: 'new secret',
      connectionConfiguration: { ...connectionConfiguration, password: 'hunter3-secret' },
    });
    const history = await ferry.post('/v1/history/list', { resourceId: sourceId }, basic);
    const audit = await ferry.post('/v1/audit/list', { resourceId: sourceId }, basic);
    const v1 = await ferry.post('/v1/history/get', { resourceId: sourceId, version: 1 }, basic);
    for (const answer of [history, audit, v1]) {
      expect(answer.text).not.toMatch(/hunter|_ferry_sealed/);
      expect(answer.text).toContain('**********');
    }
    expect(history.json.versions[1].changes).toEqual([
      { op: 'replace', path: '/name', value: 'same secret' },
    ]);
    expect(history.json.versions[2].changes).toEqual([
      { op: 'replace', path: '/connectionConfiguration/password', value: '**********' },
      { op: 'replace', path: '/name', value: 'new secret' },
    ]);
  });
});

describe('restoring what would break a rule', () => {
  it('answers 409 for a connection whose source is deleted, and restores it once the source is back', async () => {
    const sourceId = (
      await ok('/v1/sources/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Faker', basic),
        connectionConfiguration: { count: 1 },
        name: 'feeds a connection',
      })
    ).sourceId;
    const destinationId = (
      await ok('/v1/destinations/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        destinationDefinitionId: await definitionIdByName(ferry, 'destination', 'Local JSON', basic),
        connectionConfiguration: { destination_path: '/local/history' },
        name: 'files',
      })
    ).destinationId;
    const connectionId = (
      await ok('/v1/connections/create', {
        sourceId,
        destinationId,
        syncMode: 'full_refresh',
        status: 'active',
        syncSchema: usersSchema(),
        schedule: null,
      })
    ).connectionId;
    expect((await ferry.post('/v1/sources/delete', { sourceId }, basic)).status).toBe(204);
    const connection = await ok('/v1/history/list', { resourceId: connectionId });
    expect(connection.versions.map((v: { type: string }) => v.type)).toEqual(['created', 'deleted']);

    const refused = await ferry.post('/v1/history/restore', { resourceId: connectionId, version: 1 }, basic);
    expect(refused.status).toBe(409);
    expect(refused.json.message).toBe(
      `connection ${connectionId} cannot be restored: its source ${sourceId} is deleted; restore the source first`,
    );
    await ok('/v1/history/restore', { resourceId: sourceId, version: 1 });
    const restored = await ok('/v1/history/restore', { resourceId: connectionId, version: 2 });
    expect(restored).toMatchObject({ connectionId, status: 'inactive' });
  });
});

describe('bad input', () => {
  it('answers 404 for an id that names no resource', async () => {
    for (const path of ['/v1/history/list', '/v1/history/get', '/v1/history/diff', '/v1/history/restore']) {
      const answer = await ferry.post(path, { resourceId: randomUUID(), version: 1, from: 1, to: 1 }, basic);
      expect(answer.status, path).toBe(404);
    }
  });

  it('answers 422 naming the field for a version out of range', async () => {
    const get = await ferry.post('/v1/history/get', { resourceId: DEFAULT_WORKSPACE_ID, version: 99 }, basic);
    expect(get.status).toBe(422);
    expect(get.json.validationErrors[0]).toMatchObject({ propertyPath: 'version', invalidValue: 99 });
    const diff = await ferry.post(
      '/v1/history/diff',
      { resourceId: DEFAULT_WORKSPACE_ID, from: 0, to: 1 },
      basic,
    );
    expect(diff.status).toBe(422);
    expect(diff.json.validationErrors[0]).toMatchObject({ propertyPath: 'from' });
  });

  it('answers 422 for a forged, altered or foreign page token and for a page over 1,000', async () => {
    const page = await ok('/v1/audit/list', { pageSize: 1 });
    const token: string = page.nextPageToken;
    const [body, check] = token.split('.');
    const altered = `${Buffer.from(JSON.stringify({ v: 1, q: 'x', after: '*|0' })).toString('base64url')}.${check}`;
    for (const pageToken of ['forged', `${body}.AAAA`, altered, `${token}.x`]) {
      const answer = await ferry.post('/v1/audit/list', { pageSize: 1, pageToken }, basic);
      expect(answer.status, pageToken).toBe(422);
      expect(answer.json.validationErrors[0].propertyPath).toBe('pageToken');
    }
    const foreign = await ferry.post(
      '/v1/audit/list',
      { pageSize: 1, pageToken: token, actor: 'user:ada' },
      basic,
    );
    expect(foreign.status).toBe(422);
    expect((await ferry.post('/v1/audit/list', { pageSize: 1001 }, basic)).status).toBe(422);
    expect((await ferry.post('/v1/audit/list', { pageSize: 1, pageToken: token }, basic)).status).toBe(200);
  });

  it('as_of takes exactly one of at and position; before the first event, the workspace is empty', async () => {
    const both = await ferry.post(
      '/v1/workspaces/as_of',
      { workspaceId: DEFAULT_WORKSPACE_ID, at: new Date().toISOString(), position: 3 },
      basic,
    );
    expect(both.status).toBe(422);
    const before = await ok('/v1/workspaces/as_of', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      at: '2000-01-01T00:00:00Z',
    });
    expect(before).toEqual({
      workspaceId: DEFAULT_WORKSPACE_ID,
      at: '2000-01-01T00:00:00Z',
      position: 0,
      sources: [],
      destinations: [],
      connections: [],
    });
    const unknown = await ferry.post(
      '/v1/workspaces/as_of',
      { workspaceId: randomUUID(), position: 1 },
      basic,
    );
    expect(unknown.status).toBe(404);
  });
});

describe('the causal chain', () => {
  it('a job records the connection version it was made from, shown in jobs/get', async () => {
    const sourceId = (
      await ok('/v1/sources/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Faker', basic),
        connectionConfiguration: { count: 3, seed: 1 },
        name: 'traced',
      })
    ).sourceId;
    const destinationId = (
      await ok('/v1/destinations/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        destinationDefinitionId: await definitionIdByName(ferry, 'destination', 'Local JSON', basic),
        connectionConfiguration: { destination_path: '/local/traced' },
        name: 'traced files',
      })
    ).destinationId;
    const connection = await ok('/v1/connections/create', {
      sourceId,
      destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      syncSchema: usersSchema(),
      schedule: null,
    });
    const { connectionId } = connection;
    const schedule = { units: 24, timeUnit: 'hours' };
    await ok('/v1/connections/update', {
      ...connection,
      scheduleType: 'basic',
      schedule,
      scheduleData: null,
    });
    const sync = await ok('/v1/connections/sync', { connectionId });
    expect(sync.job.connectionVersion).toBe(2);
    const info = await ok('/v1/jobs/get', { id: sync.job.id });
    expect(info.job).toMatchObject({ id: sync.job.id, configId: connectionId, connectionVersion: 2 });
    const history = await ok('/v1/history/list', { resourceId: connectionId });
    expect(history.versions[1]).toMatchObject({ version: 2, type: 'updated' });
    expect(history.versions[1].changes).toContainEqual({ op: 'replace', path: '/schedule', value: schedule });
  });
});
