// The API: start-up time, creates per second (one client, then 20 at once), reads per second and read
// latency, on the embedded system, and with --distributed on NATS + PostgreSQL with a process per service.
// Writes the figures under "## API" (or "## API, distributed") in docs/benchmarks.md.
//   node bench/api.ts [creates] [--distributed]      (default 500)
import { cpus } from 'node:os';
import { distributed, embedded } from './systems.ts';
import { table, thousands, writeSection } from './report.ts';

const DISTRIBUTED = process.argv.includes('--distributed');
const COUNT = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 500);
const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';

const post = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

/** Runs `count` calls with `concurrency` in flight; returns the seconds taken and each call's latency. */
const timed = async (count: number, concurrency: number, call: (i: number) => Promise<unknown>) => {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now();
      await call(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { seconds: (performance.now() - started) / 1000, p50: p(0.5), p99: p(0.99) };
};

/** One connection from each of `sourceIds` into a Local JSON destination. */
const createConnections = async (api: string, sourceIds: string[]) => {
  const list = await post(api, '/v1/destination_definitions/list', {});
  const localJson = (list.destinationDefinitions as Array<Record<string, string>>).find(
    (d) => d.name === 'Local JSON',
  )!.destinationDefinitionId;
  const destination = await post(api, '/v1/destinations/create', {
    workspaceId: WORKSPACE,
    destinationDefinitionId: localJson,
    name: 'bench json',
    connectionConfiguration: { destination_path: '/local/bench' },
  });
  const ids: string[] = [];
  for (const sourceId of sourceIds) {
    const created = await post(api, '/v1/connections/create', {
      sourceId,
      destinationId: destination.destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      schedule: null,
      syncSchema: { streams: [] },
    });
    ids.push(String(created.connectionId));
  }
  return ids;
};

const main = async () => {
  const system = await (DISTRIBUTED ? distributed() : embedded());
  const { api, startupMs } = system;
  const title = DISTRIBUTED ? 'API, distributed' : 'API';
  try {
    const list = await post(api, '/v1/source_definitions/list', {});
    const faker = (list.sourceDefinitions as Array<Record<string, string>>).find(
      (d) => d.name === 'Faker',
    )!.sourceDefinitionId;
    const create = (i: number) =>
      post(api, '/v1/sources/create', {
        workspaceId: WORKSPACE,
        sourceDefinitionId: faker,
        name: `bench ${i}`,
        connectionConfiguration: { count: 10 },
      });
    const ids: string[] = [];
    const serial = await timed(COUNT, 1, async (i) => ids.push(String((await create(i)).sourceId)));
    const parallel = await timed(COUNT, 20, create);
    const reads = await timed(COUNT * 4, 20, (i) =>
      post(api, '/v1/sources/get', { sourceId: ids[i % ids.length] }),
    );
    const lists = await timed(50, 4, () => post(api, '/v1/sources/list', { workspaceId: WORKSPACE }));
    const connectionIds = await createConnections(api, ids.slice(0, 20));
    const connectionReads = await timed(COUNT * 4, 20, (i) =>
      post(api, '/v1/connections/get', { connectionId: connectionIds[i % connectionIds.length] }),
    );
    const row = (name: string, n: number, r: { seconds: number; p50: number; p99: number }) => [
      name,
      thousands(n),
      thousands(n / r.seconds),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
    ];
    const section = [
      `## ${title}`,
      '',
      `\`node bench/api.ts ${process.argv.slice(2).join(' ')}\`: ${system.describe}, over HTTP on loopback. Node ${process.version},`,
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}. Start-up to a serving gateway: **${startupMs.toFixed(0)} ms**`,
      `(first start: seeds the default workspace and the built-in catalog).`,
      '',
      table(
        ['call', 'calls', 'calls/s', 'p50 ms', 'p99 ms'],
        [
          row('sources/create, 1 client', COUNT, serial),
          row('sources/create, 20 clients', COUNT, parallel),
          row('sources/get, 20 clients', COUNT * 4, reads),
          row(`sources/list (${COUNT * 2} sources), 4 clients`, 50, lists),
          row('connections/get, 20 clients', COUNT * 4, connectionReads),
        ],
        [false, true, true, true, true],
      ),
      '',
    ].join('\n');
    await writeSection(title, section);
    process.stdout.write(`${section}\n`);
  } finally {
    await system.stop();
  }
};

await main();
