// The data directory of the list benches (bench/lists.ts, bench/server-flags.ts): `connections` connections
// and as many sources in the default workspace (one destination, a catalog of three streams of six fields).
// One source and one connection are made through the API; the log then gets copies of their created events
// with ids and names of their own (what the log of a user who made that many holds; the API would take
// minutes to make them on this machine).
import { join } from 'node:path';
import { createSqliteEventStore } from '../packages/event-store-sqlite/src/index.ts';
import { definition, localJsonDestination, postJson, startEmbedded, WORKSPACE } from './processes.ts';

/** A catalog of the size a Faker source's has: three streams of a handful of fields. */
const syncSchema = {
  streams: ['users', 'products', 'purchases'].map((name) => ({
    name,
    fields: ['id', 'created_at', 'updated_at', 'name', 'email', 'price'].map((field) => ({
      name: field,
      dataType: field === 'id' || field === 'price' ? 'number' : 'string',
      selected: true,
    })),
    selected: true,
    syncMode: 'full_refresh',
  })),
};

/**
 * A data directory of `connections` connections and as many sources in the default workspace: one source
 * and one connection through the API, then their created events copied into the log.
 */
export const seedConnections = async (dir: string, connections: number) => {
  const ferry = await startEmbedded(dir, true);
  try {
    const api = ferry.api;
    const destination = await localJsonDestination(api, 'lists');
    const source = await postJson(api, '/v1/sources/create', {
      workspaceId: WORKSPACE,
      sourceDefinitionId: await definition(api, 'source', 'Faker'),
      name: 'lists',
      connectionConfiguration: { count: 10 },
    });
    await postJson(api, '/v1/connections/create', {
      sourceId: source.sourceId,
      destinationId: destination.destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      schedule: { units: 1, timeUnit: 'hours' },
      syncSchema,
    });
  } finally {
    await ferry.stop();
  }
  const events = createSqliteEventStore({ file: join(dir, 'data', 'events.sqlite') });
  try {
    const log = await events.readAll();
    const firstOf = (type: string, stream: string) => {
      const found = log.find((e) => e.type === type && e.streamName.startsWith(`${stream}-`));
      if (!found) throw new Error(`no ${type} of a ${stream} in the log`);
      return found;
    };
    const copies = [
      { created: firstOf('ConnectionCreated', 'connection'), idField: 'connectionId', stream: 'connection' },
      { created: firstOf('ActorCreated', 'source'), idField: 'actorId', stream: 'source' },
    ];
    for (const { created, idField, stream } of copies) {
      const copy = async (i: number) => {
        const id = crypto.randomUUID();
        const data = { ...created.data, [idField]: id, name: `lists ${i}` };
        const event = { id: crypto.randomUUID(), type: created.type, data, metadata: created.metadata };
        await events.append(`${stream}-${id}`, [event], 'no_stream');
      };
      // 500 at a time: the appends of one turn share a commit.
      for (let i = 1; i < connections; i += 500)
        await Promise.all(Array.from({ length: Math.min(500, connections - i) }, (_, j) => copy(i + j)));
    }
  } finally {
    await events.close();
  }
};
