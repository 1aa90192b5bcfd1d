// The events of a small, varied scenario made through the API of an embedded Ferry (creates, updates,
// checks, discovery, connections, deletes), for bench/rebuild.ts to clone into a large log.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RecordedEvent } from '../packages/event-store/src/index.ts';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  startTestFerry,
  type TestFerry,
} from '../tests/support/ferry.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const readLog = (file: string): RecordedEvent[] => {
  const db = new DatabaseSync(file, { readOnly: true });
  const rows = db.prepare('SELECT * FROM events ORDER BY position').all();
  db.close();
  return rows.map((row) => ({
    id: String(row.id),
    type: String(row.type),
    data: JSON.parse(String(row.data)),
    metadata: JSON.parse(String(row.metadata)),
    streamName: String(row.stream),
    revision: Number(row.revision),
    position: Number(row.position),
  }));
};

const scenario = async (ferry: TestFerry) => {
  const ok = async (path: string, body?: unknown) => {
    const answer = await ferry.post(path, body);
    if (answer.status >= 300) throw new Error(`${path} → ${answer.status} ${answer.text}`);
    return answer.json;
  };
  const source = await createFakerSource(ferry, 'bench source', { count: 3 });
  const gone = await createFakerSource(ferry, 'bench deleted source');
  const destination = await createLocalDestination(ferry, 'JSON', 'bench json');
  await ok('/v1/sources/update', {
    sourceId: source,
    connectionConfiguration: { count: 4 },
    name: 'renamed',
  });
  await ok('/v1/sources/check_connection', { sourceId: source });
  const schema = (await ok('/v1/sources/discover_schema', { sourceId: source })).schema;
  const connection = await createConnection(ferry, source, destination, { syncSchema: schema });
  await createConnection(ferry, gone, destination, { schedule: { units: 6, timeUnit: 'hours' } });
  await ok('/v1/connections/update', { connectionId: connection, syncSchema: schema, status: 'inactive' });
  await ok('/v1/sources/delete', { sourceId: gone });
};

/**
 * `seed`: the events of a fresh Ferry (workspace, definitions); `events`: the scenario's after them;
 * `shared`: the ids the seed holds, which clones of the scenario keep (they refer to the same workspace).
 */
export async function scenarioEvents() {
  const ferry = await startTestFerry({ FERRY_SCHEDULER_TICK_MS: '0' });
  try {
    const file = join(ferry.dataDir, 'events.sqlite');
    const seedHead = readLog(file).length;
    await scenario(ferry);
    const all = readLog(file);
    const seed = all.slice(0, seedHead);
    const shared = new Set(seed.flatMap((event) => JSON.stringify(event).match(UUID) ?? []));
    return { seed, events: all.slice(seedHead), shared };
  } finally {
    await ferry.stop();
  }
}
