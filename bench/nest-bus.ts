// What running a service on NestJS (@ferry/nest-bus) costs next to plain serveTypedOperations, in one process
// on the in-process bus: loading Nest, building and starting the application (NestFactory.createMicroservice
// + listen) for the jobs (14 operations) and config (41) services, the request overhead of Nest's pipeline
// (the controller built from the table, with a logger per message and a histogram, the exception filter), and
// the packages Nest brings.
// Writes the figures under "## NestJS on the bus" in docs/benchmarks.md.
//   node bench/nest-bus.ts [requests]      (default 20000)
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { type Bus, createInProcessBus } from '@ferry/bus';
import type { ServiceName } from '@ferry/contracts';
import { createMetricsRegistry } from '@ferry/metrics';
import { callOperation, operationsOf, type ServiceHandlers, serveTypedOperations } from '@ferry/rpc';
import { destination, pino } from 'pino';
import { table, thousands, writeSection } from './report.ts';

const REQUESTS = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 20_000);
const STARTS = 10;
const log = pino({ level: 'info' }, destination('/dev/null'));

// Loaded first, and timed: what a process pays once to have Nest at all.
const loading = performance.now();
const { NestFactory } = await import('@nestjs/core');
const { Module } = await import('@nestjs/common');
const { BusTransport, nestLoggerOf, operationsModule } = await import('@ferry/nest-bus');
const loadMs = performance.now() - loading;

/** Trivial handlers for every operation of `service`: what is measured is the way to them. */
const handlersOf = <S extends ServiceName>(service: S) =>
  Object.fromEntries(
    operationsOf(service).map((o) => [
      o.operationId,
      async () => ({ body: { eventStore: true, readStore: true } }),
    ]),
  ) as unknown as ServiceHandlers<S>;

const startNest = async (bus: Bus, service: ServiceName) => {
  class BenchModule {}
  Module({
    imports: [
      operationsModule({
        service,
        handlers: { useFactory: () => handlersOf(service) },
        log,
        metrics: createMetricsRegistry(),
      }),
    ],
  })(BenchModule);
  const app = await NestFactory.createMicroservice(BenchModule, {
    strategy: new BusTransport({ bus, service }),
    logger: nestLoggerOf(log),
    abortOnError: false,
  });
  await app.listen();
  return { stop: () => app.close() };
};

const startPlain = async (bus: Bus, service: ServiceName) => {
  const subscriptions = await serveTypedOperations(bus, service, handlersOf(service));
  return { stop: async () => void (await Promise.all(subscriptions.map((s) => s.unsubscribe()))) };
};

type Start = typeof startNest;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The first start in this process, then the median of `STARTS` more, each stopped before the next. */
const startTimes = async (start: Start, service: ServiceName) => {
  const times: number[] = [];
  for (let i = 0; i <= STARTS; i++) {
    const bus = createInProcessBus();
    const t = performance.now();
    const app = await start(bus, service);
    times.push(performance.now() - t);
    await app.stop();
    await bus.close();
  }
  return { first: times[0]!, median: median(times.slice(1)) };
};

/** `count` calls of checkJobsReadiness with `concurrency` in flight; calls per second and latency in µs. */
const requests = async (start: Start, count: number, concurrency: number) => {
  const bus = createInProcessBus();
  const app = await start(bus, 'jobs');
  const options = { headers: {}, deadlineMs: 5_000 };
  const call = () => callOperation(bus, 'checkJobsReadiness', {}, options);
  for (let i = 0; i < 2_000; i++) await call(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await app.stop();
  await bus.close();
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 1000;
  return { perSecond: count / seconds, p50: p(0.5), p99: p(0.99) };
};

/** The packages `roots` bring, transitively, and their size on disk. */
const weight = (roots: string[]) => {
  const seen = new Map<string, string>();
  const visit = (name: string, from: string) => {
    const dir = packageDir(name, from);
    if (!dir || seen.has(dir)) return;
    seen.set(dir, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  const here = join(import.meta.dirname, '..', 'packages', 'nest-bus');
  for (const root of roots) visit(root, here);
  const bytes = [...seen.keys()].reduce((sum, dir) => sum + sizeOf(dir), 0);
  return { packages: seen.size, megabytes: bytes / 1024 / 1024 };
};

/** Where `name` resolves from `from`, the way Node looks it up (pnpm links a package's dependencies beside it). */
const packageDir = (name: string, from: string): string | undefined => {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
};

const sizeOf = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
};

const main = async () => {
  const ms = (n: number) => n.toFixed(1);
  const rows: string[][] = [];
  for (const service of ['jobs', 'config'] as const) {
    const count = operationsOf(service).length;
    const plain = await startTimes(startPlain, service);
    const nest = await startTimes(startNest, service);
    const two = (n: number) => n.toFixed(2);
    rows.push([
      `${service} (${count} operations), serveTypedOperations`,
      two(plain.first),
      two(plain.median),
    ]);
    rows.push([
      `${service} (${count} operations), Nest createMicroservice + listen`,
      two(nest.first),
      two(nest.median),
    ]);
  }
  const calls: string[][] = [];
  for (const concurrency of [1, 20]) {
    // Alternated, each three times, so neither way gets the warmer process; the better run of each counts.
    const runs = {
      plain: [] as Awaited<ReturnType<typeof requests>>[],
      nest: [] as Awaited<ReturnType<typeof requests>>[],
    };
    for (let round = 0; round < 3; round++) {
      runs.plain.push(await requests(startPlain, REQUESTS, concurrency));
      runs.nest.push(await requests(startNest, REQUESTS, concurrency));
    }
    for (const [way, results] of Object.entries(runs)) {
      const best = results.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
      const name = way === 'plain' ? 'serveTypedOperations' : 'Nest (@ferry/nest-bus)';
      calls.push([
        `${name}, ${concurrency} in flight`,
        thousands(best.perSecond),
        ms(best.p50),
        ms(best.p99),
      ]);
    }
  }
  const deps = weight([
    '@nestjs/common',
    '@nestjs/core',
    '@nestjs/microservices',
    'reflect-metadata',
    'rxjs',
  ]);
  const section = [
    '## NestJS on the bus',
    '',
    `\`${['node bench/nest-bus.ts', ...process.argv.slice(2)].join(' ')}\`: services on @ferry/nest-bus next to plain`,
    '`serveTypedOperations`, one process, in-process bus, handlers that answer at once (what is measured is the',
    `way to them). Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)};`,
    `load average ${loadavg()[0]!.toFixed(1)} when it ended (a shared machine: the figures move from run to run).`,
    '',
    `Loading Nest (\`@nestjs/core\`, \`@nestjs/common\`, \`@ferry/nest-bus\` with \`@nestjs/microservices\`), once per process: **${ms(loadMs)} ms**.`,
    `Nest and what it depends on: **${deps.packages} packages, ${deps.megabytes.toFixed(1)} MB** on disk.`,
    '',
    table(['start', 'first ms', `median of ${STARTS} ms`], rows, [false, true, true]),
    '',
    table(['checkJobsReadiness, in-process', 'calls/s', 'p50 µs', 'p99 µs'], calls, [
      false,
      true,
      true,
      true,
    ]),
    '',
  ].join('\n');
  await writeSection('NestJS on the bus', section);
  process.stdout.write(`${section}\n`);
};

await main();
