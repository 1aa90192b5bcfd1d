import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  seedOpenApiFile,
  startTestFerry,
  type HttpAnswer,
  type TestFerry,
} from './support/ferry.ts';
import { loadSeedValidator, type SeedValidator } from './support/seed-schemas.ts';

/**
 * A realistic session, as Airbyte's web app drives it, where every 200 answer is checked against the
 * response schema that the seed OpenAPI document gives for that path. Only responses are validated.
 */

const seed = loadSeedValidator();
let ferry: TestFerry;
const validated = new Set<string>();

beforeAll(async () => {
  ferry = await startTestFerry();
});
afterAll(async () => {
  await ferry?.stop();
});

const conform = (path: string, method: 'get' | 'post', answer: HttpAnswer) => {
  expect(answer.status, `${path} → ${answer.status} ${answer.text}`).toBe(200);
  const problems = (seed as SeedValidator).validate(path, method, answer.json);
  expect(
    problems,
    `${path} answered a body the seed's schema refuses:\n${problems}\n${answer.text}`,
  ).toBeNull();
  validated.add(path);
  // biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON answers
  return answer.json as any;
};

// biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON answers
const call = async (path: string, body?: unknown): Promise<any> =>
  conform(path, 'post', await ferry.post(path, body));

describe.skipIf(seed === null)(`every 200 answer conforms to ${seedOpenApiFile}`, () => {
  it('the converted seed schemas refuse what they should (a check of the checker)', () => {
    const v = seed as SeedValidator;
    const workspace = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: DEFAULT_WORKSPACE_ID,
      name: 'w',
      slug: 'w',
      initialSetupComplete: false,
      onboardingComplete: false,
    };
    expect(v.validate('/v1/workspaces/get', 'post', workspace)).toBeNull();
    expect(v.validate('/v1/workspaces/get', 'post', { ...workspace, name: null })).not.toBeNull();
    expect(
      v.validate('/v1/workspaces/get', 'post', { ...workspace, workspaceId: 'not-a-uuid' }),
    ).not.toBeNull();
    expect(v.validate('/v1/workspaces/get', 'post', { ...workspace, slug: undefined })).not.toBeNull();
    expect(
      v.validate('/v1/jobs/get', 'post', {
        job: { id: 1, configType: 'nope', configId: 'x', createdAt: 1, updatedAt: 1, status: 'pending' },
        attempts: [],
      }),
    ).not.toBeNull();
    expect(
      v.validate('/v1/connections/get', 'post', {
        connectionId: DEFAULT_WORKSPACE_ID,
        name: 'n',
        sourceId: DEFAULT_WORKSPACE_ID,
        destinationId: DEFAULT_WORKSPACE_ID,
        syncMode: 'full_refresh',
        syncSchema: { streams: [] },
        status: 'active',
        schedule: null,
      }),
    ).toBeNull();
  });

  const ids: Record<string, string> = {};
  // biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON answers
  let discovered: any;

  it('workspaces: get, get_by_slug, update', async () => {
    await call('/v1/workspaces/get', { workspaceId: DEFAULT_WORKSPACE_ID });
    await call('/v1/workspaces/get_by_slug', { slug: 'default' });
    const updated = await call('/v1/workspaces/update', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      email: 'someone@example.com',
      initialSetupComplete: true,
      onboardingComplete: false,
      anonymousDataCollection: false,
      news: true,
      securityUpdates: true,
    });
    expect(updated.initialSetupComplete).toBe(true);
  });

  it('definitions: list, get, specifications, create and update with a built-in image', async () => {
    const sources = await call('/v1/source_definitions/list');
    const destinations = await call('/v1/destination_definitions/list');
    expect(sources.sourceDefinitions.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(['Faker']),
    );
    expect(destinations.destinationDefinitions.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(['Local JSON', 'Local CSV']),
    );
    ids.faker = await definitionIdByName(ferry, 'source', 'Faker');
    ids.localJson = await definitionIdByName(ferry, 'destination', 'Local JSON');
    ids.localCsv = await definitionIdByName(ferry, 'destination', 'Local CSV');
    for (const d of sources.sourceDefinitions) {
      await call('/v1/source_definitions/get', { sourceDefinitionId: d.sourceDefinitionId });
      await call('/v1/source_definition_specifications/get', { sourceDefinitionId: d.sourceDefinitionId });
    }
    for (const d of destinations.destinationDefinitions) {
      await call('/v1/destination_definitions/get', { destinationDefinitionId: d.destinationDefinitionId });
      await call('/v1/destination_definition_specifications/get', {
        destinationDefinitionId: d.destinationDefinitionId,
      });
    }
    const faker = sources.sourceDefinitions.find((d: { name: string }) => d.name === 'Faker');
    await call('/v1/source_definitions/update', {
      sourceDefinitionId: faker.sourceDefinitionId,
      dockerImageTag: faker.dockerImageTag,
    });
    const json = destinations.destinationDefinitions.find((d: { name: string }) => d.name === 'Local JSON');
    await call('/v1/destination_definitions/update', {
      destinationDefinitionId: json.destinationDefinitionId,
      dockerImageTag: json.dockerImageTag,
    });
    await call('/v1/source_definitions/create', {
      name: 'Faker (second copy)',
      dockerRepository: faker.dockerRepository,
      dockerImageTag: faker.dockerImageTag,
      documentationUrl: 'https://example.com/faker',
    });
    await call('/v1/destination_definitions/create', {
      name: 'Local JSON (second copy)',
      dockerRepository: json.dockerRepository,
      dockerImageTag: json.dockerImageTag,
      documentationUrl: 'https://example.com/local-json',
    });
  });

  it('sources: create, get, list, update, check, discover', async () => {
    const created = await call('/v1/sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: { count: 5, seed: 3 },
      name: 'people',
    });
    ids.source = created.sourceId;
    await call('/v1/sources/get', { sourceId: ids.source });
    await call('/v1/sources/update', {
      sourceId: ids.source,
      connectionConfiguration: { count: 7, seed: 3 },
      name: 'people (7)',
    });
    const list = await call('/v1/sources/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.sources).toHaveLength(1);
    const check = await call('/v1/sources/check_connection', { sourceId: ids.source });
    expect(check.status).toBe('succeeded');
    discovered = (await call('/v1/sources/discover_schema', { sourceId: ids.source })).schema;
    expect(discovered.streams.length).toBeGreaterThan(0);
  });

  it('destinations: create (Local JSON and Local CSV), get, list, update, check', async () => {
    for (const [key, definition] of [
      ['json', ids.localJson],
      ['csv', ids.localCsv],
    ] as const) {
      const created = await call('/v1/destinations/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        destinationDefinitionId: definition,
        connectionConfiguration: { destination_path: `/local/${key}` },
        name: `local ${key}`,
      });
      ids[key] = created.destinationId;
      await call('/v1/destinations/get', { destinationId: created.destinationId });
      await call('/v1/destinations/update', {
        destinationId: created.destinationId,
        connectionConfiguration: { destination_path: `/local/${key}-2` },
        name: `local ${key} 2`,
      });
      const check = await call('/v1/destinations/check_connection', { destinationId: created.destinationId });
      expect(check.status).toBe('succeeded');
    }
    const list = await call('/v1/destinations/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.destinations).toHaveLength(2);
  });

  it('connections: create from the discovered schema, get, list, update', async () => {
    const created = await call('/v1/connections/create', {
      sourceId: ids.source,
      destinationId: ids.json,
      syncMode: 'full_refresh',
      status: 'active',
      syncSchema: discovered,
      schedule: null,
    });
    ids.connection = created.connectionId;
    const csv = await call('/v1/connections/create', {
      name: 'to csv',
      sourceId: ids.source,
      destinationId: ids.csv,
      syncMode: 'full_refresh',
      status: 'inactive',
      syncSchema: discovered,
      schedule: { units: 2, timeUnit: 'hours' },
    });
    ids.csvConnection = csv.connectionId;
    await call('/v1/connections/get', { connectionId: ids.connection });
    await call('/v1/connections/update', {
      connectionId: ids.connection,
      syncSchema: created.syncSchema,
      status: 'inactive',
      schedule: { units: 1, timeUnit: 'days' },
    });
    const list = await call('/v1/connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.connections).toHaveLength(2);
  });

  it('web_backend: connections list/get, sources and destinations create/recreate', async () => {
    const list = await call('/v1/web_backend/connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.connections).toHaveLength(2);
    await call('/v1/web_backend/connections/get', { connectionId: ids.connection });
    const source = await call('/v1/web_backend/sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: { count: 1 },
      name: 'checked source',
    });
    await call('/v1/web_backend/sources/recreate', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      sourceId: source.sourceId,
      connectionConfiguration: { count: 2 },
      name: 'checked source again',
    });
    const destination = await call('/v1/web_backend/destinations/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localCsv,
      connectionConfiguration: { destination_path: '/local/wb' },
      name: 'checked destination',
    });
    await call('/v1/web_backend/destinations/recreate', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localCsv,
      destinationId: destination.destinationId,
      connectionConfiguration: { destination_path: '/local/wb2' },
      name: 'checked destination again',
    });
  });

  it('jobs: list and get the connector jobs the scenario ran', async () => {
    const list = await call('/v1/jobs/list', { configType: 'check_connection_source', configId: ids.source });
    expect(list.jobs.length).toBeGreaterThan(0);
    const discover = await call('/v1/jobs/list', { configType: 'discover_schema', configId: ids.source });
    expect(discover.jobs.length).toBeGreaterThan(0);
    await call('/v1/jobs/list', { configType: 'check_connection_destination', configId: ids.json });
    await call('/v1/jobs/list', { configType: 'sync', configId: ids.connection });
    const info = await call('/v1/jobs/get', { id: list.jobs[0].job.id });
    expect(info.attempts.length).toBeGreaterThan(0);
  });

  it('health and debug', async () => {
    conform('/v1/health', 'get', await ferry.get('/v1/health'));
    conform('/v1/debug', 'get', await ferry.get('/v1/debug'));
  });

  it('deletes answer 204, and every read after them still conforms', async () => {
    for (const [path, body] of [
      ['/v1/connections/delete', { connectionId: ids.csvConnection }],
      ['/v1/sources/delete', { sourceId: ids.source }],
      ['/v1/destinations/delete', { destinationId: ids.json }],
    ] as const) {
      const answer = await ferry.post(path, body);
      expect(answer.status, answer.text).toBe(204);
      expect(answer.text).toBe('');
    }
    await call('/v1/connections/get', { connectionId: ids.connection });
    await call('/v1/sources/get', { sourceId: ids.source });
    await call('/v1/destinations/get', { destinationId: ids.json });
    await call('/v1/web_backend/connections/get', { connectionId: ids.connection });
    await call('/v1/connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    await call('/v1/web_backend/connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
  });

  it('the scenario validated every seed path that answers 200 today', () => {
    const answersWithoutA200 = new Set([
      '/v1/sources/delete',
      '/v1/destinations/delete',
      '/v1/connections/delete',
      '/v1/connections/sync',
      '/v1/connections/reset',
    ]);
    const missing = (seed as SeedValidator).paths.filter(
      (p) => !answersWithoutA200.has(p) && !validated.has(p),
    );
    expect(missing).toEqual([]);
  });
});
