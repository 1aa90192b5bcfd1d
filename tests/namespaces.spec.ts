import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, definitionIdByName, startTestFerry, type TestFerry } from './support/ferry.ts';

/**
 * Issue 12: a connection's namespace rule (namespaceDefinition, namespaceFormat, prefix, as later Airbyte
 * versions name them) through the HTTP API: a PostgreSQL table lands in the schema and under the name the
 * rule gives it, and an update that does not name the rule keeps it.
 */
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
const schema = `ferry_ns_src_${process.pid}_${Date.now()}`;
const target = `${schema}_to`;
const db = new pg.Client(PG);
let ferry: TestFerry;

beforeAll(async () => {
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, name text)`);
  await db.query(`INSERT INTO ${schema}.items VALUES (1, 'one'), (2, 'two')`);
  ferry = await startTestFerry();
}, 60_000);
afterAll(async () => {
  await ferry?.stop();
  for (const s of [schema, target, `${schema}_default`]) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await db.end();
});

const create = async (kind: 'source' | 'destination', config: Record<string, unknown>) => {
  const answer = await ferry.post(`/v1/${kind}s/create`, {
    workspaceId: DEFAULT_WORKSPACE_ID,
    [`${kind}DefinitionId`]: await definitionIdByName(ferry, kind, 'Postgres'),
    connectionConfiguration: {
      host: PG.host,
      port: PG.port,
      database: PG.database,
      username: PG.user,
      ...config,
    },
    name: `${kind} ns`,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json[`${kind}Id`] as string;
};

describe("a connection's namespace rule", () => {
  it('puts each stream in the custom namespace under the prefixed name, and keeps the rule on an update', async () => {
    const sourceId = await create('source', { schemas: [schema] });
    const destinationId = await create('destination', { schema: `${schema}_default` });
    const discovered = await ferry.post('/v1/sources/discover_schema', { sourceId });
    const created = await ferry.post('/v1/connections/create', {
      sourceId,
      destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      syncSchema: discovered.json.schema,
      namespaceDefinition: 'customformat',
      namespaceFormat: target,
      prefix: 'copy_',
    });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({
      namespaceDefinition: 'customformat',
      namespaceFormat: target,
      prefix: 'copy_',
    });
    const { connectionId } = created.json;
    const updated = await ferry.post('/v1/connections/update', {
      connectionId,
      syncSchema: created.json.syncSchema,
      status: 'active',
    });
    expect(updated.json).toMatchObject({ namespaceDefinition: 'customformat', prefix: 'copy_' });

    const synced = await ferry.post('/v1/connections/sync', { connectionId }, { Prefer: 'wait=60' });
    expect(
      synced.json.job.status,
      JSON.stringify(synced.json.attempts.at(-1)?.logs.logLines.slice(-10)),
    ).toBe('succeeded');
    const rows = await db.query(`SELECT id, name FROM ${target}.copy_${schema}_items ORDER BY id`);
    // The API's data types carry no integer: `number` columns are double precision.
    expect(rows.rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ]);
    const landed = await db.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
      [`${schema}_default`],
    );
    expect(landed.rows[0].n).toBe(0);
  });
});
