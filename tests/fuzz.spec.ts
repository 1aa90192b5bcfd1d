import { randomUUID } from 'node:crypto';
import { operations } from '@ferry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  startTestFerry,
  type HttpAnswer,
  type TestFerry,
} from './support/ferry.ts';
import { storedEvents } from './support/stores.ts';

/**
 * Hundreds of generated bad bodies, the same on every run (seeded PRNG): whatever a client sends, no answer
 * is a 5xx (except the documented 503 of connector operations not there yet), every error has a JSON
 * {message}, and afterwards the system is healthy and its event log intact.
 */

/** mulberry32: small, fast, deterministic. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = prng(20201201);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);

/** Operations that may answer 503 {message}: they need the sync pipeline, which has not landed yet. */
const MAY_BE_UNAVAILABLE = new Set(['/v1/connections/sync', '/v1/connections/reset', '/v1/jobs/cancel']);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----ferry',
  'application/octet-stream',
  'application/xml',
  'garbage/with/slashes',
  ';;;',
  undefined,
] as const;

const NOT_JSON = [
  '{',
  '}',
  'nope',
  '<xml/>',
  "{'single': 'quotes'}",
  '{"a":1,}',
  '[1,2',
  'NaN',
  'undefined',
  '{"a": 01}',
  '\u0000\u0001\u0002',
  '\ufeff{"bom": true',
  'a=1&b=2',
  '------ferry\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n------ferry--',
];
const JSON_NOT_OBJECT = [
  '[]',
  '[{}]',
  '0',
  '-1',
  '1e309',
  '"string"',
  'null',
  'true',
  'false',
  '""',
  '[null]',
];

const UNICODE = [
  '\ud800',
  '\udfff\ud800',
  '\u0000',
  'e\u0301\u0301\u0301',
  '\u202eevil\u202c',
  '𝕱𝖊𝖗𝖗𝖞 🚢🚢',
  '\uffff\ufffe',
  '﷽'.repeat(50),
  'Z̴̡̢͚̙a̷̛͉l̸̠̃g̵̱̈́o̷̧͘',
  '\r\n\t\u000b\u000c',
];

const wrongValues: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e300,
  '',
  'x',
  [],
  [1, 'a'],
  {},
  { nested: { deeper: [] } },
];

const nestedArray = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};
const nestedObject = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

interface Case {
  path: string;
  label: string;
  body: string | undefined;
  contentType: string | undefined;
  /** For bodies that are not JSON at all, the answer must be exactly 422. */
  expect422?: boolean;
  /** Nested thousands of levels deep: far past ~200, still a 10 kB body any client can send. */
  veryDeep?: boolean;
}

let ferry: TestFerry;
const ids: Record<string, string> = {};
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document as served
let openapi: any;

beforeAll(async () => {
  ferry = await startTestFerry();
  ids.faker = await definitionIdByName(ferry, 'source', 'Faker');
  ids.localJson = await definitionIdByName(ferry, 'destination', 'Local JSON');
  ids.source = await createFakerSource(ferry, 'fuzz source');
  ids.destination = await createLocalDestination(ferry, 'JSON', 'fuzz destination');
  ids.connection = await createConnection(ferry, ids.source, ids.destination);
  openapi = (await ferry.get('/v1/openapi.json')).json;
});
afterAll(async () => {
  await ferry?.stop();
});

/** A body that passes the contract, built on real ids so mutations reach deep into the services. Deletes name fresh ids. */
const validBody = (path: string): Record<string, unknown> => {
  const flags = {
    initialSetupComplete: false,
    onboardingComplete: false,
    anonymousDataCollection: false,
    news: false,
    securityUpdates: false,
  };
  const schema = {
    streams: [
      { name: 'users', fields: [{ name: 'id', dataType: 'number', selected: true }], selected: null },
    ],
  };
  const bodies: Record<string, Record<string, unknown>> = {
    '/v1/workspaces/get': { workspaceId: DEFAULT_WORKSPACE_ID },
    '/v1/workspaces/get_by_slug': { slug: 'default' },
    '/v1/workspaces/update': { workspaceId: DEFAULT_WORKSPACE_ID, ...flags },
    '/v1/source_definitions/create': {
      name: 'n',
      dockerRepository: 'ferry/none',
      dockerImageTag: '0',
      documentationUrl: 'https://example.com',
    },
    '/v1/source_definitions/update': { sourceDefinitionId: ids.faker, dockerImageTag: 'does-not-exist' },
    '/v1/source_definitions/get': { sourceDefinitionId: ids.faker },
    '/v1/source_definition_specifications/get': { sourceDefinitionId: ids.faker },
    '/v1/sources/create': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: { count: 1 },
      name: 'f',
    },
    '/v1/sources/update': {
      sourceId: ids.source,
      connectionConfiguration: { count: 1 },
      name: 'fuzz source',
    },
    '/v1/sources/list': { workspaceId: DEFAULT_WORKSPACE_ID },
    '/v1/sources/get': { sourceId: ids.source },
    '/v1/sources/delete': { sourceId: randomUUID() },
    '/v1/sources/check_connection': { sourceId: ids.source },
    '/v1/sources/discover_schema': { sourceId: ids.source },
    '/v1/destination_definitions/create': {
      name: 'n',
      dockerRepository: 'ferry/none',
      dockerImageTag: '0',
      documentationUrl: 'https://example.com',
    },
    '/v1/destination_definitions/update': {
      destinationDefinitionId: ids.localJson,
      dockerImageTag: 'does-not-exist',
    },
    '/v1/destination_definitions/get': { destinationDefinitionId: ids.localJson },
    '/v1/destination_definition_specifications/get': { destinationDefinitionId: ids.localJson },
    '/v1/destinations/create': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localJson,
      connectionConfiguration: { destination_path: '/local/fuzz' },
      name: 'f',
    },
    '/v1/destinations/update': {
      destinationId: ids.destination,
      connectionConfiguration: { destination_path: '/local/fuzz' },
      name: 'fuzz destination',
    },
    '/v1/destinations/list': { workspaceId: DEFAULT_WORKSPACE_ID },
    '/v1/destinations/get': { destinationId: ids.destination },
    '/v1/destinations/check_connection': { destinationId: ids.destination },
    '/v1/destinations/delete': { destinationId: randomUUID() },
    '/v1/connections/create': {
      sourceId: ids.source,
      destinationId: ids.destination,
      syncMode: 'full_refresh',
      status: 'inactive',
      syncSchema: schema,
    },
    '/v1/connections/update': {
      connectionId: ids.connection,
      syncSchema: schema,
      status: 'active',
      schedule: null,
    },
    '/v1/connections/list': { workspaceId: DEFAULT_WORKSPACE_ID },
    '/v1/connections/get': { connectionId: ids.connection },
    '/v1/connections/delete': { connectionId: randomUUID() },
    '/v1/connections/sync': { connectionId: randomUUID() },
    '/v1/connections/reset': { connectionId: randomUUID() },
    '/v1/web_backend/connections/list': { workspaceId: DEFAULT_WORKSPACE_ID },
    '/v1/web_backend/connections/get': { connectionId: ids.connection },
    '/v1/web_backend/sources/create': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: {},
      name: 'f',
    },
    '/v1/web_backend/sources/recreate': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      sourceId: randomUUID(),
      connectionConfiguration: {},
      name: 'f',
    },
    '/v1/web_backend/destinations/create': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localJson,
      connectionConfiguration: { destination_path: '/local/wb' },
      name: 'f',
    },
    '/v1/web_backend/destinations/recreate': {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localJson,
      destinationId: randomUUID(),
      connectionConfiguration: { destination_path: '/local/wb' },
      name: 'f',
    },
    '/v1/jobs/list': { configType: 'check_connection_source', configId: ids.source },
    '/v1/jobs/get': { id: 1 },
    '/v1/jobs/cancel': { id: 987654 },
  };
  return bodies[path] ?? {};
};

/** The properties the contract names for an operation's body (required or not). */
const fieldsOf = (path: string): string[] => {
  const ref: string | undefined =
    openapi.paths[path]?.post?.requestBody?.content?.['application/json']?.schema?.$ref;
  if (!ref) return [];
  const schema = openapi.components.schemas[ref.split('/').at(-1)!];
  return Object.keys(schema?.properties ?? {});
};

const withField = (base: Record<string, unknown>, field: string, value: unknown) =>
  JSON.stringify({ ...base, [field]: value });

/** JSON text with a key JSON.stringify would never write as an own property (`__proto__`). */
const withRawKey = (base: Record<string, unknown>, key: string, raw: string) => {
  const text = JSON.stringify(base);
  return text === '{}' ? `{"${key}":${raw}}` : `{"${key}":${raw},${text.slice(1)}`;
};

const postOperations = operations.filter((o) => o.method === 'POST');

const generateCases = (): Case[] => {
  const cases: Case[] = [];
  for (const operation of postOperations) {
    const path = operation.path;
    const base = validBody(path);
    const add = (
      label: string,
      body: string | undefined,
      contentType: string | undefined = pick(CONTENT_TYPES),
      expect422 = false,
    ) => cases.push({ path, label, body, contentType, expect422 });

    add('not JSON', pick(NOT_JSON), pick(CONTENT_TYPES), operation.request !== null);
    add('not JSON, declared JSON', pick(NOT_JSON), 'application/json', operation.request !== null);
    add('empty body', '', pick(CONTENT_TYPES));
    add('whitespace body', '  \n\t ', 'application/json');
    add('JSON that is not an object', pick(JSON_NOT_OBJECT));
    add('JSON that is not an object, declared JSON', pick(JSON_NOT_OBJECT), 'application/json');
    add('__proto__ pollution', withRawKey(base, '__proto__', '{"polluted":"yes","isAdmin":true}'));
    add(
      'constructor.prototype pollution',
      withRawKey(base, 'constructor', '{"prototype":{"polluted":"yes"}}'),
    );
    add(
      'nested __proto__',
      JSON.stringify(base).replace(/\{/g, '{"__proto__":{"polluted":"yes"},'),
      'application/json',
    );
    add('deep array (200)', JSON.stringify(nestedArray(200)));
    add('deep object (200)', JSON.stringify({ ...base, extra: nestedObject(200) }), 'application/json');
    const deep = (label: string, body: string) =>
      cases.push({ path, label, body, contentType: 'application/json', veryDeep: true });
    deep('very deep array (5000) as the body', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    deep('very deep object (5000) as the body', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    add('huge unknown field', JSON.stringify({ ...base, junk: 'x'.repeat(200_000) }), 'application/json');
    add(
      'many unknown fields',
      JSON.stringify({
        ...base,
        ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
      }),
      'application/json',
    );
    for (const field of fieldsOf(path)) {
      for (let i = 0; i < 3; i++)
        add(`${field} wrong type`, withField(base, field, pick(wrongValues)), 'application/json');
      add(`${field} unicode garbage`, withField(base, field, pick(UNICODE)), 'application/json');
      add(
        `${field} huge string`,
        withField(base, field, pick(['é', 'a', '🚢']).repeat(50_000 + int(1000))),
        'application/json',
      );
      add(
        `${field} deep nesting`,
        withField(base, field, pick([nestedArray(200), nestedObject(200)])),
        'application/json',
      );
      add(
        `${field} missing`,
        JSON.stringify(Object.fromEntries(Object.entries(base).filter(([k]) => k !== field))),
        'application/json',
      );
      add(
        `${field} as __proto__ key`,
        withRawKey(
          {},
          field === '__proto__' ? 'x' : '__proto__',
          JSON.stringify({ [field]: base[field] ?? 'x' }),
        ),
        'application/json',
      );
    }
    // Mutations inside nested values (configurations, schemas, schedules).
    for (const [field, value] of Object.entries(base)) {
      if (value && typeof value === 'object') {
        add(
          `${field} with a poisoned inner key`,
          withField(
            base,
            field,
            JSON.parse(
              `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":1}},"toString":5,"hasOwnProperty":"no"}`,
            ),
          ),
          'application/json',
        );
        add(`${field} as an array`, withField(base, field, [value]), 'application/json');
        deep(
          `${field} holding a very deep value (5000)`,
          `${JSON.stringify(base).slice(0, -1)},"${field}":{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
        );
      }
    }
  }
  // Random raw bytes for random operations.
  for (let i = 0; i < 40; i++) {
    const operation = pick(postOperations);
    const bytes = Array.from({ length: 1 + int(300) }, () => String.fromCharCode(int(0x3000))).join('');
    cases.push({
      path: operation.path,
      label: 'random characters',
      body: bytes,
      contentType: pick(CONTENT_TYPES),
    });
  }
  return cases;
};

/**
 * Definition create/update run the image's `spec`; an image that is not built in needs a Docker engine, and
 * when none answers that is a dependency being unreachable (api-facts.md: 503), not a client error.
 */
const NEEDS_DOCKER = new Set([
  '/v1/source_definitions/create',
  '/v1/source_definitions/update',
  '/v1/destination_definitions/create',
  '/v1/destination_definitions/update',
]);

const isExpectedUnavailable = (path: string, answer: HttpAnswer) =>
  answer.status === 503 &&
  (MAY_BE_UNAVAILABLE.has(path) || (NEEDS_DOCKER.has(path) && /docker/i.test(answer.json?.message ?? '')));

/** A content type a server can read as one (type/subtype); others may fairly be refused with 415. */
const wellFormed = (contentType: string | undefined) =>
  contentType === undefined || /^[a-z]+\/[a-z0-9.+-]+(\s*;.*)?$/i.test(contentType);

/** Sends the cases four at a time; returns a line per answer that breaks the rules. */
const runCases = async (cases: Case[]): Promise<string[]> => {
  const failures: string[] = [];
  let index = 0;
  const worker = async () => {
    while (index < cases.length) {
      const c = cases[index++]!;
      const prefix = pick(['/api', '']);
      const headers: Record<string, string> =
        c.contentType === undefined ? {} : { 'content-type': c.contentType };
      let answer: HttpAnswer;
      try {
        answer = await ferry.request(`${prefix}${c.path}`, { method: 'POST', body: c.body, headers });
      } catch (error) {
        failures.push(`${c.path} [${c.label}] request failed: ${(error as Error).message}`);
        continue;
      }
      const where = `${prefix}${c.path} [${c.label}, ${c.contentType ?? 'no content-type'}] → ${answer.status} ${answer.text.slice(0, 200)}`;
      if (answer.status >= 500 && !isExpectedUnavailable(c.path, answer)) failures.push(where);
      else if (answer.status >= 400 && typeof answer.json?.message !== 'string')
        failures.push(`${where} (no JSON {message})`);
      else if (c.expect422 && wellFormed(c.contentType) && answer.status !== 422)
        failures.push(`${where} (a body that is not JSON should be 422)`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return failures;
};

describe('generated bad bodies', () => {
  let cases: Case[] = [];
  beforeAll(() => {
    cases = generateCases();
  });

  it('none of at least 300 bad bodies gets a 5xx; every error is a JSON {message}', async () => {
    const ordinary = cases.filter((c) => !c.veryDeep);
    expect(ordinary.length).toBeGreaterThanOrEqual(300);
    const failures = await runCases(ordinary);
    expect(failures, failures.join('\n')).toEqual([]);
    // The whole system runs in this process: nothing may have reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 180_000);

  it('bodies nested 5000 levels deep (10 kB each) get a 4xx, not a 500', async () => {
    const deep = cases.filter((c) => c.veryDeep);
    expect(deep.length).toBeGreaterThan(40);
    const failures = await runCases(deep);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 60_000);

  it('afterwards the system is healthy, its event log intact, and a create still works and reads back', async () => {
    expect((await ferry.get('/v1/health')).json).toEqual({ db: true });

    const events = storedEvents(ferry.dataDir);
    const byStream = new Map<string, number[]>();
    for (const event of events) {
      expect(() => JSON.parse(event.data), `event ${event.position} data`).not.toThrow();
      expect(() => JSON.parse(event.metadata), `event ${event.position} metadata`).not.toThrow();
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event.revision]);
    }
    for (const [stream, revisions] of byStream) {
      const first = revisions[0]!;
      expect(revisions, `revisions of ${stream}`).toEqual(revisions.map((_, i) => first + i));
    }

    const sourceId = await createFakerSource(ferry, 'after the storm', { count: 2 });
    const read = await ferry.post('/v1/sources/get', { sourceId });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      sourceId,
      name: 'after the storm',
      connectionConfiguration: { count: 2 },
    });
    const original = await ferry.post('/v1/sources/get', { sourceId: ids.source });
    expect(original.status).toBe(200);
    const connection = await ferry.post('/v1/connections/get', { connectionId: ids.connection });
    expect(connection.status).toBe(200);
    expect(storedEvents(ferry.dataDir).length).toBeGreaterThan(events.length);
  });
});
