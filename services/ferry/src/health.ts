import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { Bus } from '@ferry/bus';
import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '@ferry/metrics';

/** A check answers true or false within its deadline; it never throws or hangs. */
export type Check = () => Promise<boolean>;

export interface HealthChecks {
  /** The process's bus is connected (`Bus.ping`: for NATS, the server answers on this connection). */
  bus: Check;
  /** Each store this process opened, by name; none for a process that keeps no state (gateway, runner). */
  stores: Record<string, Check>;
}

type Pingable = { ping(): Promise<boolean> };

/** The checks of a process: its bus, and its stores when it opened them (config, jobs, audit). */
export const healthChecks = (bus: Bus, stores?: { events: Pingable; reads: Pingable }): HealthChecks => ({
  bus: () => bus.ping(),
  stores: stores ? { events: () => stores.events.ping(), reads: () => stores.reads.ping() } : {},
});

export interface HealthServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

/** Probes time out after a few seconds; a check answers well before. */
const CHECK_DEADLINE_MS = 1_500;

/** The check's answer, or false when it throws or is late (a late check keeps running, ignored). */
const within = async (check: Check): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_DEADLINE_MS);
  });
  const answered = Promise.resolve()
    .then(check)
    .then(
      (ok) => ok === true,
      () => false,
    );
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
};

const answer = (response: ServerResponse, ok: boolean, body: object) => {
  response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
};

const runChecks = async (checks: Record<string, Check>) => {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => within(checks[name] as Check)));
  return Object.fromEntries(names.map((name, i) => [name, results[i] as boolean]));
};

/**
 * The health endpoint of one Ferry process (`FERRY_HEALTH_PORT`), for Kubernetes and Docker probes of the
 * services that serve no HTTP of their own:
 * - `GET /healthz` (liveness): 200 while the process is up and its bus carries messages, else 503;
 * - `GET /readyz` (readiness): 200 when, in addition, every store it opened answers, else 503.
 * Bodies say which part failed: `{"live":true,"bus":true}`, `{"ready":false,"bus":true,"stores":{"events":false,…}}`.
 * - `GET /metrics`, given the process's `metrics`: its Prometheus text, so a service process without a
 *   gateway is scraped for its operation durations too.
 */
export async function startHealthServer(
  checks: HealthChecks,
  listen: { port: number; host?: string },
  metrics?: MetricsRegistry,
): Promise<HealthServer> {
  const server = createServer(async (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === '/healthz') {
      const bus = await within(checks.bus);
      return answer(response, bus, { live: bus, bus });
    }
    if (path === '/readyz') {
      const [bus, stores] = await Promise.all([within(checks.bus), runChecks(checks.stores)]);
      const ready = bus && Object.values(stores).every(Boolean);
      return answer(response, ready, { ready, bus, stores });
    }
    if (path === '/metrics' && metrics) {
      response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
      return void response.end(metrics.render());
    }
    response.writeHead(404).end();
  });
  server.listen(listen.port, listen.host);
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
