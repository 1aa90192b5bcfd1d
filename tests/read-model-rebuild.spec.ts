import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';
import { DatabaseSync } from 'node:sqlite';
import { dumpReadModels, readModelsFile } from './support/stores.ts';

/**
 * The event log is the truth: rebuilding every read model from it gives back exactly the documents the
 * live projections wrote, and the API answers the same afterwards.
 */

let ferry: TestFerry;
beforeAll(async () => {
  ferry = await startTestFerry();
});
afterAll(async () => {
  await ferry?.stop();
});

const ok = async (path: string, body?: unknown) => {
  const answer = await ferry.post(path, body);
  expect(answer.status, `${path} → ${answer.status} ${answer.text}`).toBeLessThan(300);
  return answer.json;
};

/**
 * The read models as the live projections left them once all have caught up with the log: the audit trail
 * may batch the last writes for a moment while nothing waits for it, and `audit/list` waits for it.
 */
const caughtUpReadModels = async () => {
  await ok('/v1/audit/list', {});
  return dumpReadModels(ferry.dataDir);
};

/** What a user sees: every list and every item, by the API. */
const apiView = async (ids: Record<string, string>) => {
  const workspace = { workspaceId: DEFAULT_WORKSPACE_ID };
  const view: Record<string, unknown> = {
    workspace: await ok('/v1/workspaces/get', workspace),
    bySlug: await ok('/v1/workspaces/get_by_slug', { slug: 'default' }),
    sourceDefinitions: await ok('/v1/source_definitions/list'),
    destinationDefinitions: await ok('/v1/destination_definitions/list'),
    sources: await ok('/v1/sources/list', workspace),
    destinations: await ok('/v1/destinations/list', workspace),
    connections: await ok('/v1/connections/list', workspace),
    wbConnections: await ok('/v1/web_backend/connections/list', workspace),
    jobs: await ok('/v1/jobs/list', { configType: 'check_connection_source', configId: ids.source }),
  };
  for (const [key, id] of Object.entries(ids)) {
    if (key.startsWith('source')) view[key] = await ok('/v1/sources/get', { sourceId: id });
    if (key.startsWith('destination')) view[key] = await ok('/v1/destinations/get', { destinationId: id });
    if (key.startsWith('connection')) view[key] = await ok('/v1/connections/get', { connectionId: id });
  }
  return view;
};

/**
 * A scheduled connection that never synced is due at once, so its first sync runs beside the tests. Each
 * test compares what it reads before and after a rebuild: a sync ending in between would change the
 * answer (`isSyncing`, the jobs), so the scenario is complete only once that sync has ended.
 */
const firstSyncEnded = async (connectionId: string) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const connection = await ok('/v1/web_backend/connections/get', { connectionId });
    if (connection.lastSync != null && !connection.isSyncing) return;
    if (Date.now() > deadline)
      throw new Error(
        `the first sync of ${connectionId} has not ended in 60 s: ${JSON.stringify(connection)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('rebuildReadModels()', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // A scenario that touches every projection: creates, updates, soft deletes, deprecations, jobs.
    await ok('/v1/workspaces/update', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      email: 'rebuild@example.com',
      initialSetupComplete: true,
      onboardingComplete: true,
      anonymousDataCollection: false,
      news: false,
      securityUpdates: true,
    });
    const faker = await definitionIdByName(ferry, 'source', 'Faker');
    await ok('/v1/source_definitions/update', {
      sourceDefinitionId: faker,
      dockerImageTag: (await ok('/v1/source_definitions/get', { sourceDefinitionId: faker })).dockerImageTag,
    });
    ids.source = await createFakerSource(ferry, 'rebuild source', { count: 3 });
    ids.sourceDeleted = await createFakerSource(ferry, 'rebuild deleted source');
    ids.destination = await createLocalDestination(ferry, 'JSON', 'rebuild json');
    ids.destinationCsv = await createLocalDestination(ferry, 'CSV', 'rebuild csv');
    await ok('/v1/sources/update', {
      sourceId: ids.source,
      connectionConfiguration: { count: 4, seed: 9 },
      name: 'rebuild source (renamed)',
    });
    await ok('/v1/destinations/update', {
      destinationId: ids.destinationCsv,
      connectionConfiguration: { destination_path: '/local/csv2' },
      name: 'rebuild csv 2',
    });
    await ok('/v1/sources/check_connection', { sourceId: ids.source });
    await ok('/v1/destinations/check_connection', { destinationId: ids.destination });
    const schema = (await ok('/v1/sources/discover_schema', { sourceId: ids.source })).schema;
    ids.connection = await createConnection(ferry, ids.source, ids.destination, {
      syncSchema: schema,
      name: 'main',
    });
    ids.connectionScheduled = await createConnection(ferry, ids.source, ids.destinationCsv, {
      schedule: { units: 6, timeUnit: 'hours' },
    });
    ids.connectionDeprecated = await createConnection(ferry, ids.sourceDeleted, ids.destination);
    ids.connectionDeleted = await createConnection(ferry, ids.source, ids.destinationCsv, {
      status: 'inactive',
    });
    await ok('/v1/connections/update', {
      connectionId: ids.connection,
      syncSchema: schema,
      status: 'inactive',
      schedule: { units: 1, timeUnit: 'days' },
    });
    await ok('/v1/connections/delete', { connectionId: ids.connectionDeleted });
    await ok('/v1/sources/delete', { sourceId: ids.sourceDeleted });
    const recreated = await ok('/v1/web_backend/sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: faker,
      connectionConfiguration: { count: 1 },
      name: 'rebuild wb source',
    });
    ids.sourceRecreated = (
      await ok('/v1/web_backend/sources/recreate', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: faker,
        sourceId: recreated.sourceId,
        connectionConfiguration: { count: 2 },
        name: 'rebuild wb source again',
      })
    ).sourceId;
    await firstSyncEnded(ids.connectionScheduled);
  });

  it('gives back exactly the read-model documents the live projections wrote', async () => {
    const before = await caughtUpReadModels();
    expect(Object.keys(before).length).toBeGreaterThan(0);
    expect(Object.values(before).reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(10);
    await ferry.system.rebuildReadModels();
    const after = dumpReadModels(ferry.dataDir);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], `table ${table}`).toEqual(before[table]);
  });

  it('leaves every projection checkpoint where it was', async () => {
    const before = dumpReadModels(ferry.dataDir, { withCheckpoints: true }).checkpoints;
    await ferry.system.rebuildReadModels();
    expect(dumpReadModels(ferry.dataDir, { withCheckpoints: true }).checkpoints).toEqual(before);
  });

  it('repairs read models damaged behind its back, from the log alone', async () => {
    const healthy = dumpReadModels(ferry.dataDir);
    const tables = Object.keys(healthy);
    const db = new DatabaseSync(readModelsFile(ferry.dataDir));
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      for (const table of tables) {
        const rows = healthy[table] as Array<{ id: string; doc: Record<string, unknown> }>;
        // Lose one document of every table and garble another.
        db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(rows[0]!.id);
        if (rows[1])
          db.prepare(`UPDATE ${table} SET doc = ? WHERE id = ?`).run(
            JSON.stringify({ ...rows[1].doc, name: 'garbled' }),
            rows[1].id,
          );
      }
    } finally {
      db.close();
    }
    expect(dumpReadModels(ferry.dataDir)).not.toEqual(healthy);
    await ferry.system.rebuildReadModels();
    expect(dumpReadModels(ferry.dataDir)).toEqual(healthy);
  });

  it('answers the same through the API, and keeps projecting new writes afterwards', async () => {
    const before = await apiView(ids);
    await ferry.system.rebuildReadModels();
    expect(await apiView(ids)).toEqual(before);
    const sourceId = await createFakerSource(ferry, 'after the rebuild');
    const sources = await ok('/v1/sources/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(sources.sources.map((s: { sourceId: string }) => s.sourceId)).toContain(sourceId);
    const dumped = await caughtUpReadModels();
    await ferry.system.rebuildReadModels();
    expect(dumpReadModels(ferry.dataDir)).toEqual(dumped);
  });
});
