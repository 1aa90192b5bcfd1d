import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { operations } from '@ferry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_WORKSPACE_ID, seedOpenApiFile, startTestFerry, type TestFerry } from './support/ferry.ts';
import { callWithSample, sampleBodies } from './support/sample-bodies.ts';

/**
 * Every route of the contract answers at /api/v1/* and /v1/*, reaches its service (bodies that pass
 * validation, naming ids that do not exist) and never answers 5xx, except the connector-dependent
 * sync/reset which answer 503 {message} until the sync pipeline lands.
 */

/** What a user sees for each sample: the status (or, for most, "not a 5xx"). */
const expectedStatus: Record<string, number> = {
  getWorkspace: 200,
  getWorkspaceBySlug: 200,
  updateWorkspace: 200,
  createSourceDefinition: 422,
  createDestinationDefinition: 422,
  listSourceDefinitions: 200,
  listDestinationDefinitions: 200,
  listSourcesForWorkspace: 200,
  listDestinationsForWorkspace: 200,
  listConnectionsForWorkspace: 200,
  webBackendListConnectionsForWorkspace: 200,
  listJobsFor: 200,
  getHealthCheck: 200,
  getDebuggingInfo: 200,
  syncConnection: 404,
  resetConnection: 404,
  updateSourceDefinition: 404,
  getSourceDefinition: 404,
  getSourceDefinitionSpecification: 404,
  updateDestinationDefinition: 404,
  getDestinationDefinition: 404,
  getDestinationDefinitionSpecification: 404,
  createSource: 404,
  updateSource: 404,
  getSource: 404,
  deleteSource: 404,
  checkConnectionToSource: 404,
  discoverSchemaForSource: 404,
  createDestination: 404,
  updateDestination: 404,
  getDestination: 404,
  deleteDestination: 404,
  checkConnectionToDestination: 404,
  createConnection: 404,
  updateConnection: 404,
  getConnection: 404,
  deleteConnection: 404,
  webBackendGetConnection: 404,
  webBackendCreateSource: 404,
  webBackendCreateDestination: 404,
  webBackendRecreateSource: 404,
  webBackendRecreateDestination: 404,
  getJobInfo: 404,
  cancelJob: 404,
  createApiToken: 200,
  listApiTokens: 200,
  revokeApiToken: 404,
  listAuditEntries: 200,
  listResourceHistory: 404,
  getResourceVersion: 404,
  diffResourceVersions: 404,
  restoreResourceVersion: 404,
  getWorkspaceAsOf: 200,
};

/**
 * Connector-dependent operations that answer 503 {message} until the sync pipeline lands (issue 2, item 8);
 * jobs/cancel is our extension and belongs to the same pipeline. Once it lands they answer like the others
 * (404 for an unknown connection or job).
 */
const NOT_YET_AVAILABLE = new Set(['syncConnection', 'resetConnection', 'cancelJob']);

let ferry: TestFerry;
beforeAll(async () => {
  ferry = await startTestFerry();
});
afterAll(async () => {
  await ferry?.stop();
});

describe('the operation table', () => {
  it('holds exactly the 43 paths of the seed OpenAPI document, plus documented extensions', (context) => {
    if (!existsSync(seedOpenApiFile)) {
      context.skip(
        `seed OpenAPI document not found at ${seedOpenApiFile}: cannot compare the route list with it`,
      );
      return;
    }
    const seed = parse(readFileSync(seedOpenApiFile, 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const seedRoutes = Object.entries(seed.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(seedRoutes).toHaveLength(43);
    const ours = operations
      .filter((o) => !('extension' in o && o.extension))
      .map((o) => `${o.method} ${o.path}`)
      .sort();
    expect(ours).toEqual(seedRoutes);
  });

  it('has a sample body and an expected status for every operation of the contract', () => {
    const withBody = operations.filter((o) => o.request !== null).map((o) => o.operationId);
    expect(withBody.filter((id) => !(id in sampleBodies))).toEqual([]);
    expect(operations.map((o) => o.operationId).filter((id) => !(id in expectedStatus))).toEqual([]);
  });
});

describe.each(['/api', ''] as const)('every route under %s/v1', (prefix) => {
  it.each(operations.map((o) => [o.operationId, o] as const))(
    '%s answers without a server error',
    async (id, operation) => {
      const answer = await callWithSample(ferry, operation, prefix);
      if (NOT_YET_AVAILABLE.has(id) && answer.status === 503) {
        expect(typeof answer.json?.message).toBe('string');
        return;
      }
      expect(
        answer.status,
        `${operation.method} ${prefix}${operation.path} → ${answer.status} ${answer.text}`,
      ).toBeLessThan(500);
      const expected = expectedStatus[id];
      if (expected !== undefined) expect(answer.status, answer.text).toBe(expected);
      if (answer.status === 404)
        expect(answer.json).toEqual({ message: expect.any(String), id: expect.any(String) });
      if (answer.status === 422)
        expect(answer.json).toMatchObject({
          message: expect.any(String),
          validationErrors: expect.any(Array),
        });
      if (answer.status === 204) expect(answer.text).toBe('');
    },
  );
});

describe('CORS, as the Airbyte web app (another origin) needs it', () => {
  it.each(operations.map((o) => [o.path, o] as const))(
    'preflight of /api%s allows any origin',
    async (_path, operation) => {
      const answer = await ferry.request(`/api${operation.path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:8000',
          'Access-Control-Request-Method': operation.method,
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      expect(answer.status).toBeLessThan(300);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-allow-methods') ?? '').toContain(operation.method);
    },
  );

  it('a cross-origin POST carries Access-Control-Allow-Origin: *', async () => {
    const answer = await ferry.post(
      '/v1/workspaces/get',
      { workspaceId: DEFAULT_WORKSPACE_ID },
      { Origin: 'http://localhost:8000' },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('an error answer carries it too, so the web app can read the message', async () => {
    const answer = await ferry.post(
      '/v1/sources/get',
      { sourceId: randomUUID() },
      { Origin: 'http://localhost:8000' },
    );
    expect(answer.status).toBe(404);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the API describes itself', () => {
  it('GET /api/v1/openapi.json is an OpenAPI 3.1 document with every path', async () => {
    const answer = await ferry.get('/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(String(answer.json.openapi)).toMatch(/^3\.1\./);
    const paths = Object.keys(answer.json.paths);
    for (const operation of operations) {
      expect(paths, operation.path).toContain(operation.path);
      expect(answer.json.paths[operation.path][operation.method.toLowerCase()]?.operationId).toBe(
        operation.operationId,
      );
    }
  });

  it('GET /api/docs serves an HTML page whose assets load', async () => {
    const answer = await ferry.request('/api/docs');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/text\/html/);
    expect(answer.text).toMatch(/<html/i);
    const assets = [...answer.text.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect((await ferry.request(asset)).status, asset).toBe(200);
  });
});
