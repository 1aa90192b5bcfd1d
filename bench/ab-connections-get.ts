// Two Ferry trees side by side under the same load: each tree's `npm start` entry point in embedded mode as
// a process of its own, then `connections/get` (20 clients) on one, then on the other, round after round, so
// that whatever else the machine does falls on both alike. Prints each round and the median ratio B/A of
// calls per second, and of the server process's CPU time per call (/proc/<pid>/stat), which the machine's
// other work disturbs far less than the wall clock.
// Used to hold a change to its speed: check out the commit before it into another folder (git archive,
// with node_modules), then
//   node bench/ab-connections-get.ts <tree A> <tree B> [rounds] [calls per round]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [treeA, treeB] = process.argv.slice(2, 4).map((tree) => resolve(tree));
const ROUNDS = Number(process.argv[4] ?? 20);
const CALLS = Number(process.argv[5] ?? 400);
const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
if (!treeA || !treeB)
  throw new Error('usage: node bench/ab-connections-get.ts <tree A> <tree B> [rounds] [calls]');

const post = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

const start = async (tree: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ab-'));
  const child: ChildProcess = spawn(process.execPath, [join(tree, 'services/ferry/src/main.ts')], {
    cwd: tree,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'silent',
      FERRY_PORT: '0',
      FERRY_HOST: '127.0.0.1',
      FERRY_SCHEDULER_TICK_MS: '0',
      FERRY_DATA_DIR: join(dir, 'data'),
      LOCAL_ROOT: join(dir, 'local'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const api = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /at (http\S+)/.exec(out);
      if (match) done(match[1]!);
    });
    child.once('exit', () => fail(new Error(`${tree} exited`)));
  });
  return {
    api,
    /** CPU seconds (user + system) the process has used so far. */
    cpu: () => {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const definition = async (api: string, kind: string, name: string) => {
  const list = (await post(api, `/v1/${kind}_definitions/list`, {}))[`${kind}Definitions`] as Array<
    Record<string, string>
  >;
  return list.find((d) => d.name === name)![`${kind}DefinitionId`]!;
};

/** Twenty connections, Faker into Local JSON. */
const connections = async (api: string) => {
  const destination = await post(api, '/v1/destinations/create', {
    workspaceId: WORKSPACE,
    destinationDefinitionId: await definition(api, 'destination', 'Local JSON'),
    name: 'ab',
    connectionConfiguration: { destination_path: '/local/ab' },
  });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const source = await post(api, '/v1/sources/create', {
      workspaceId: WORKSPACE,
      sourceDefinitionId: await definition(api, 'source', 'Faker'),
      name: `ab ${i}`,
      connectionConfiguration: { count: 10 },
    });
    const created = await post(api, '/v1/connections/create', {
      sourceId: source.sourceId,
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

/** `CALLS` connections/get with 20 in flight: calls per second, and the server's CPU µs per call. */
const round = async (server: { api: string; cpu: () => number }, ids: string[]) => {
  let next = 0;
  const cpu = server.cpu();
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < CALLS; i = next++)
      await post(server.api, '/v1/connections/get', { connectionId: ids[i % ids.length] });
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  const perSecond = CALLS / ((performance.now() - started) / 1000);
  return { perSecond, cpuMicros: ((server.cpu() - cpu) * 1e6) / CALLS };
};

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

const a = await start(treeA);
const b = await start(treeB);
try {
  const idsA = await connections(a.api);
  const idsB = await connections(b.api);
  await round(a, idsA); // warm-up
  await round(b, idsB);
  const rounds: Array<{ a: Awaited<ReturnType<typeof round>>; b: Awaited<ReturnType<typeof round>> }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always follows the other.
    const pair =
      i % 2 === 0
        ? { a: await round(a, idsA), b: await round(b, idsB) }
        : { b: await round(b, idsB), a: await round(a, idsA) };
    rounds.push(pair);
    const { a: ra, b: rb } = pair;
    process.stdout.write(
      `round ${i + 1}: A ${ra.perSecond.toFixed(0)}/s ${ra.cpuMicros.toFixed(0)} µs CPU, ` +
        `B ${rb.perSecond.toFixed(0)}/s ${rb.cpuMicros.toFixed(0)} µs CPU\n`,
    );
  }
  const m = (pick: (r: (typeof rounds)[number]) => number) => median(rounds.map(pick));
  process.stdout.write(
    `median calls/s: A ${m((r) => r.a.perSecond).toFixed(0)}, B ${m((r) => r.b.perSecond).toFixed(0)}, ` +
      `B/A ${m((r) => r.b.perSecond / r.a.perSecond).toFixed(3)}\n` +
      `median CPU µs per call: A ${m((r) => r.a.cpuMicros).toFixed(0)}, B ${m((r) => r.b.cpuMicros).toFixed(0)}, ` +
      `B/A ${m((r) => r.b.cpuMicros / r.a.cpuMicros).toFixed(3)}\n`,
  );
} finally {
  await a.stop();
  await b.stop();
}
