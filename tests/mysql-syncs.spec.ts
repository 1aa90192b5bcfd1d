import { createTestDatabase, type TestDatabase } from '@ferry/mysql-common/testing';
import type { RowDataPacket } from 'mysql2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, definitionIdByName, startTestFerry, type TestFerry } from './support/ferry.ts';

/**
 * Issue 12, "Done when": MariaDB → PostgreSQL and PostgreSQL → MariaDB through the HTTP API, full refresh,
 * incremental, and dedup by primary key (the typed tables), against this machine's servers. Every
 * MariaDB database and PostgreSQL schema is this suite's own, dropped after.
 */
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
const pgSchema = `ferry_mysql_e2e_${process.pid}_${Date.now()}`;
const db = new pg.Client(PG);
let ferry: TestFerry;
let source: TestDatabase;
const targets: TestDatabase[] = [];

type Mode = 'full' | 'incremental' | 'dedup';
const MODES: Record<Mode, Record<string, unknown>> = {
  full: { syncMode: 'full_refresh', cursorField: [] },
  incremental: { syncMode: 'incremental', cursorField: ['updated_at'], destinationSyncMode: 'append' },
  dedup: { syncMode: 'incremental', cursorField: ['updated_at'], destinationSyncMode: 'append_dedup' },
};

const create = async (kind: 'source' | 'destination', definition: string, config: unknown, name: string) => {
  const answer = await ferry.post(`/v1/${kind}s/create`, {
    workspaceId: DEFAULT_WORKSPACE_ID,
    [`${kind}DefinitionId`]: await definitionIdByName(ferry, kind, definition),
    connectionConfiguration: config,
    name,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json[`${kind}Id`] as string;
};

/** Discovers the source and creates a connection of the one stream, in the given mode. */
const connect = async (sourceId: string, destinationId: string, stream: string, mode: Mode) => {
  const discovered = await ferry.post('/v1/sources/discover_schema', { sourceId });
  expect(discovered.status, discovered.text).toBe(200);
  const streams = discovered.json.schema.streams
    .filter((s: { name: string }) => s.name === stream)
    .map((s: Record<string, unknown>) => ({ ...s, ...MODES[mode] }));
  expect(
    streams,
    JSON.stringify(discovered.json.schema.streams.map((s: { name: string }) => s.name)),
  ).toHaveLength(1);
  expect(streams[0].sourceDefinedPrimaryKey).toEqual([['id']]);
  const created = await ferry.post('/v1/connections/create', {
    sourceId,
    destinationId,
    syncMode: MODES[mode].syncMode,
    status: 'active',
    syncSchema: { streams },
  });
  expect(created.status, created.text).toBe(200);
  expect(created.json.syncSchema.streams[0].destinationSyncMode).toBe(MODES[mode].destinationSyncMode);
  return created.json.connectionId as string;
};

const sync = async (connectionId: string) => {
  const answer = await ferry.post('/v1/connections/sync', { connectionId }, { Prefer: 'wait=60' });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.json.job.status, JSON.stringify(answer.json.attempts.at(-1)?.logs.logLines.slice(-15))).toBe(
    'succeeded',
  );
  return answer.json.attempts.at(-1).attempt.recordsSynced as number;
};

const pgRows = async (table: string) =>
  (await db.query(`SELECT id::int AS id, name FROM ${table} ORDER BY id, name`)).rows;
const mysqlRows = async (target: TestDatabase, table: string) =>
  (await target.admin.query<RowDataPacket[]>(`SELECT id, name FROM \`${table}\` ORDER BY id, name`))[0].map(
    (r) => ({ id: Number(r.id), name: r.name }),
  );

beforeAll(async () => {
  await db.connect();
  await db.query(`CREATE SCHEMA ${pgSchema}`);
  await db.query(`CREATE TABLE ${pgSchema}.people (id int PRIMARY KEY, name text, updated_at int)`);
  await db.query(`INSERT INTO ${pgSchema}.people SELECT i, 'person ' || i, i FROM generate_series(1, 5) i`);
  source = await createTestDatabase('ferry_e2e_src');
  await source.admin.query('CREATE TABLE people (id int PRIMARY KEY, name varchar(50), updated_at int)');
  await source.admin.query(
    "INSERT INTO people VALUES (1,'person 1',1),(2,'person 2',2),(3,'person 3',3),(4,'person 4',4),(5,'person 5',5)",
  );
  ferry = await startTestFerry({ FERRY_SYNC_HEARTBEAT_MS: '300', FERRY_SYNC_BACKOFF_MS: '200' });
}, 60_000);

afterAll(async () => {
  await ferry?.stop();
  await db.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  for (const s of ['full', 'incremental', 'dedup'])
    await db.query(`DROP SCHEMA IF EXISTS ${pgSchema}_${s} CASCADE`);
  await db.end();
  await source?.drop();
  for (const t of targets) await t.drop();
});

/** Both sources change the same way between two syncs: a new row, and row 1 renamed with its cursor moved. */
const change = async () => {
  await db.query(`INSERT INTO ${pgSchema}.people VALUES (6, 'six', 6)`);
  await db.query(`UPDATE ${pgSchema}.people SET name = 'renamed', updated_at = 7 WHERE id = 1`);
  await source.admin.query("INSERT INTO people VALUES (6, 'six', 6)");
  await source.admin.query("UPDATE people SET name = 'renamed', updated_at = 7 WHERE id = 1");
};

const expected = {
  first: [1, 2, 3, 4, 5].map((id) => ({ id, name: `person ${id}` })),
  afterFull: [
    { id: 1, name: 'renamed' },
    ...[2, 3, 4, 5].map((id) => ({ id, name: `person ${id}` })),
    { id: 6, name: 'six' },
  ],
};
expected.afterFull.sort((a, b) => a.id - b.id);
const appended = [...expected.first, { id: 1, name: 'renamed' }, { id: 6, name: 'six' }].sort(
  (a, b) => a.id - b.id || a.name.localeCompare(b.name),
);

// Each connector call starts a process (or a container in the docker variant): a step makes dozens.
describe('MariaDB and PostgreSQL through the API', { timeout: 180_000 }, () => {
  const mariaToPg: Record<Mode, string> = { full: '', incremental: '', dedup: '' };
  const pgToMaria: Record<Mode, string> = { full: '', incremental: '', dedup: '' };

  it('creates a MySQL source and destination against MariaDB that check succeeded', async () => {
    const sourceId = await create('source', 'MySQL', source.config, 'maria');
    const check = await ferry.post('/v1/sources/check_connection', { sourceId });
    expect(check.json, check.text).toMatchObject({ status: 'succeeded' });
    const pgSource = await create(
      'source',
      'Postgres',
      { host: PG.host, port: PG.port, database: PG.database, username: PG.user, schemas: [pgSchema] },
      'pg',
    );
    for (const mode of Object.keys(MODES) as Mode[]) {
      const pgDestination = await create(
        'destination',
        'Postgres',
        {
          host: PG.host,
          port: PG.port,
          database: PG.database,
          username: PG.user,
          schema: `${pgSchema}_${mode}`,
        },
        `pg ${mode}`,
      );
      mariaToPg[mode] = await connect(sourceId, pgDestination, `${source.config.database}.people`, mode);
      const target = await createTestDatabase(`ferry_e2e_${mode}`);
      targets.push(target);
      const mariaDestination = await create('destination', 'MySQL', target.config, `maria ${mode}`);
      const destinationCheck = await ferry.post('/v1/destinations/check_connection', {
        destinationId: mariaDestination,
      });
      expect(destinationCheck.json, destinationCheck.text).toMatchObject({ status: 'succeeded' });
      pgToMaria[mode] = await connect(pgSource, mariaDestination, `${pgSchema}.people`, mode);
    }
  });

  it('first syncs copy every row, in every mode and both directions', async () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      expect(await sync(mariaToPg[mode])).toBe(5);
      expect(await sync(pgToMaria[mode])).toBe(5);
      const stream = `${source.config.database}_people`;
      expect(await pgRows(`${pgSchema}_${mode}.${stream}`)).toEqual(expected.first);
      expect(await mysqlRows(targets[Object.keys(MODES).indexOf(mode)]!, `${pgSchema}_people`)).toEqual(
        expected.first,
      );
    }
  });

  it('second syncs: full refresh replaces, incremental appends past the cursor, dedup keeps one row per key', async () => {
    await change();
    const seen: Record<Mode, unknown> = {
      full: expected.afterFull,
      incremental: appended,
      dedup: expected.afterFull,
    };
    const counts: Record<Mode, number> = { full: 6, incremental: 2, dedup: 2 };
    for (const mode of Object.keys(MODES) as Mode[]) {
      expect(await sync(mariaToPg[mode]), `MariaDB → PostgreSQL ${mode}`).toBe(counts[mode]);
      expect(await sync(pgToMaria[mode]), `PostgreSQL → MariaDB ${mode}`).toBe(counts[mode]);
      const target = targets[Object.keys(MODES).indexOf(mode)]!;
      expect(await pgRows(`${pgSchema}_${mode}.${source.config.database}_people`), mode).toEqual(seen[mode]);
      expect(await mysqlRows(target, `${pgSchema}_people`), mode).toEqual(seen[mode]);
      // The raw tables keep every record received.
      const raw = (
        await db.query(
          `SELECT count(*)::int AS n FROM ${pgSchema}_${mode}._airbyte_raw_${source.config.database}_people`,
        )
      ).rows[0].n;
      expect(raw, mode).toBe(mode === 'full' ? 6 : 7);
    }
  });
});
