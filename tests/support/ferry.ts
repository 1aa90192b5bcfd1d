import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '@ferry/event-store';
import { loadSettings, openStores, startFerry, type RunningFerry } from '@ferry/ferry';
import pg from 'pg';
import { pino } from 'pino';
import { filesUnder } from './stores.ts';
import { testPostgresUrl } from '@ferry/contract-testing/postgres';
import { setUpVariant } from './variant.ts';

/** The repository root (tests/support/ → ../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The seed OpenAPI document lies beside the repository, in `../shared/seed/`. */
export const seedDir = resolve(repoRoot, '..', 'shared', 'seed');
export const seedOpenApiFile = join(seedDir, 'airbyte-config-api.openapi.yaml');

export const DEFAULT_WORKSPACE_ID = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The raw body text ('' when empty). */
  text: string;
  /** The parsed JSON body; `null` when the body is empty or not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
}

export interface RawRequest {
  method?: string;
  /** Sent verbatim (no JSON encoding); `undefined` sends no body. */
  body?: string | undefined;
  headers?: Record<string, string>;
}

export interface TestFerry {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/api` */
  api: string;
  dataDir: string;
  localRoot: string;
  system: RunningFerry;
  /** POST `<api><path>` (path like `/v1/sources/create`) with a JSON body. */
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** GET `<api><path>`. */
  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** Any request to `<origin><absolutePath>` (e.g. `/v1/health` or `/api/docs`), body sent as given. */
  request(absolutePath: string, init?: RawRequest): Promise<HttpAnswer>;
  /** Every event in the log, read through the event store this system uses (SQLite or PostgreSQL). */
  storedEvents(): Promise<RecordedEvent[]>;
  /** Everything the system stored, as bytes: the files of its data directory and, on PostgreSQL, each row. */
  storedBytes(): Promise<Array<{ path: string; bytes: Buffer }>>;
  stop(): Promise<void>;
}

/** Each row of each table of a PostgreSQL schema, as its text form. */
const rowsOf = async (schema: string): Promise<Array<{ path: string; bytes: Buffer }>> => {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    const rows: Array<{ path: string; bytes: Buffer }> = [];
    for (const { name } of tables.rows) {
      const result = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM "${schema}"."${name}" t`,
      );
      for (const { row } of result.rows) rows.push({ path: `${schema}.${name}`, bytes: Buffer.from(row) });
    }
    return rows;
  } finally {
    await client.end();
  }
};

const answerOf = async (response: Response): Promise<HttpAnswer> => {
  const text = await response.text();
  let json: unknown = null;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: response.status, headers: response.headers, text, json };
};

/**
 * Starts the whole system in-process (embedded mode: in-process bus, SQLite stores, built-in connectors as
 * processes) on a random port, with a fresh data directory and LOCAL_ROOT. `env` adds or overrides settings.
 */
export const startTestFerry = async (env: Record<string, string> = {}): Promise<TestFerry> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-e2e-'));
  const localRoot = join(dataDir, 'local');
  mkdirSync(localRoot, { recursive: true });
  const setup = await setUpVariant();
  const settings = loadSettings({
    ...setup.env,
    FERRY_PORT: '0',
    FERRY_HOST: '127.0.0.1',
    FERRY_DATA_DIR: join(dataDir, 'data'),
    LOCAL_ROOT: localRoot,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const system = await startFerry(settings, pino({ level: 'silent' }));
  if (!system.url) throw new Error('Ferry started without a gateway');
  const api = system.url;
  const origin = api.replace(/\/api$/, '');

  const request = async (absolutePath: string, init: RawRequest = {}) => {
    const response = await fetch(`${origin}${absolutePath}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.headers ?? {},
      body: init.body,
    });
    return answerOf(response);
  };
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(`/api${path}`, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(`/api${path}`, { method: 'GET', headers });

  return {
    origin,
    api,
    dataDir: settings.FERRY_DATA_DIR,
    localRoot,
    system,
    post,
    get,
    request,
    async storedEvents() {
      const stores = await openStores(settings);
      try {
        return await stores.events.readAll();
      } finally {
        await Promise.all([stores.events.close(), stores.reads.close()]);
      }
    },
    storedBytes: async () => [
      ...filesUnder(settings.FERRY_DATA_DIR),
      ...(setup.schema ? await rowsOf(setup.schema) : []),
    ],
    stop: async () => {
      await system.stop();
      await setup.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Small helpers for the scenarios every spec drives. */
export const definitionIdByName = async (
  ferry: TestFerry,
  kind: 'source' | 'destination',
  name: string,
  headers: Record<string, string> = {},
): Promise<string> => {
  const answer = await ferry.post(`/v1/${kind}_definitions/list`, undefined, headers);
  const list = answer.json[`${kind}Definitions`] as Array<Record<string, string>>;
  const found = list.find((d) => d.name === name);
  if (!found) throw new Error(`no ${kind} definition named ${name}: ${list.map((d) => d.name).join(', ')}`);
  return found[`${kind}DefinitionId`]!;
};

export const createFakerSource = async (
  ferry: TestFerry,
  name = 'faker',
  configuration: Record<string, unknown> = { count: 10, seed: 1 },
) => {
  const answer = await ferry.post('/v1/sources/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Faker'),
    connectionConfiguration: configuration,
    name,
  });
  if (answer.status !== 200) throw new Error(`sources/create answered ${answer.status}: ${answer.text}`);
  return answer.json.sourceId as string;
};

export const createLocalDestination = async (
  ferry: TestFerry,
  format: 'JSON' | 'CSV' = 'JSON',
  name = `local ${format}`,
) => {
  const answer = await ferry.post('/v1/destinations/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    destinationDefinitionId: await definitionIdByName(ferry, 'destination', `Local ${format}`),
    connectionConfiguration: { destination_path: `/local/${format.toLowerCase()}` },
    name,
  });
  if (answer.status !== 200) throw new Error(`destinations/create answered ${answer.status}: ${answer.text}`);
  return answer.json.destinationId as string;
};

/** A small schema as Airbyte's web app sends it on connections/create (`selected: null`). */
export const usersSchema = () => ({
  streams: [
    {
      name: 'users',
      fields: [
        { name: 'id', dataType: 'number', selected: true },
        { name: 'name', dataType: 'string', selected: true },
      ],
      selected: null,
      syncMode: 'full_refresh',
    },
  ],
});

export const createConnection = async (
  ferry: TestFerry,
  sourceId: string,
  destinationId: string,
  extra: Record<string, unknown> = {},
) => {
  const answer = await ferry.post('/v1/connections/create', {
    sourceId,
    destinationId,
    syncMode: 'full_refresh',
    status: 'active',
    syncSchema: usersSchema(),
    schedule: null,
    ...extra,
  });
  if (answer.status !== 200) throw new Error(`connections/create answered ${answer.status}: ${answer.text}`);
  return answer.json.connectionId as string;
};

/** A Postgres source's configuration for the machine's local server, reading the given schema. */
export const localPostgresSource = (schema: string) => ({
  host: '127.0.0.1',
  port: 5432,
  database: 'postgres',
  username: 'postgres',
  password: 'unused', // the local server trusts 127.0.0.1: any password is accepted
  schemas: [schema],
});
