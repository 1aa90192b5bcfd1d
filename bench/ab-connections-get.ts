// Two Ferry trees side by side under the same load: each tree's `npm start` entry point in embedded mode as
// a process of its own, then `connections/get` (20 clients) on one, then on the other, round after round, so
// that whatever else the machine does falls on both alike. Prints each round and the median ratio B/A of
// calls per second, and of the server process's CPU time per call (/proc/<pid>/stat), which the machine's
// other work disturbs far less than the wall clock.
// Used to hold a change to its speed: check out the commit before it into another folder (git archive,
// with node_modules), then
//   node bench/ab-connections-get.ts <tree A> <tree B> [rounds] [calls per round]
import { resolve } from 'node:path';
import {
  addConnections,
  cpuSeconds,
  definition,
  entryOf,
  localJsonDestination,
  post,
  type Server,
  startEmbedded,
} from './processes.ts';

const [treeA, treeB] = process.argv.slice(2, 4).map((tree) => resolve(tree));
const ROUNDS = Number(process.argv[4] ?? 20);
const CALLS = Number(process.argv[5] ?? 400);
if (!treeA || !treeB)
  throw new Error('usage: node bench/ab-connections-get.ts <tree A> <tree B> [rounds] [calls]');

const start = (tree: string) => startEmbedded(undefined, false, {}, entryOf(tree));

/** Twenty connections, Faker into Local JSON. */
const connections = async (api: string) => {
  const destination = await localJsonDestination(api, 'ab');
  return addConnections(api, 20, destination.destinationId, await definition(api, 'source', 'Faker'));
};

/** `CALLS` connections/get with 20 in flight: calls per second, and the server's CPU µs per call. */
const round = async (server: Server, ids: string[]) => {
  let next = 0;
  const cpu = cpuSeconds(server.pids);
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < CALLS; i = next++)
      await post(server.api, '/v1/connections/get', { connectionId: ids[i % ids.length] });
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  const perSecond = CALLS / ((performance.now() - started) / 1000);
  return { perSecond, cpuMicros: ((cpuSeconds(server.pids) - cpu) * 1e6) / CALLS };
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
