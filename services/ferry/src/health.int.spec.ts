import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '@ferry/bus/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Check, startHealthServer } from './health.ts';
import { loadSettings, startFerry } from './index.ts';

const get = async (port: number, path: string, method = 'GET') => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return {
    status: response.status,
    body: response.status === 200 || response.status === 503 ? await response.json() : null,
  };
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('the health endpoint (FERRY_HEALTH_PORT)', () => {
  const state = { bus: true, events: true, reads: true };
  const check =
    (part: keyof typeof state): Check =>
    async () =>
      state[part];
  let port: number;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = await startHealthServer(
      { bus: check('bus'), stores: { events: check('events'), reads: check('reads') } },
      { port: 0, host: '127.0.0.1' },
    );
    ({ port, stop } = server);
  });
  afterAll(() => stop());

  it('is live and ready while the bus and every store answer', async () => {
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: { live: true, bus: true } });
    expect(await get(port, '/readyz')).toEqual({
      status: 200,
      body: { ready: true, bus: true, stores: { events: true, reads: true } },
    });
  });

  it('stays live but is not ready when a store does not answer, and says which', async () => {
    state.reads = false;
    try {
      expect((await get(port, '/healthz')).status).toBe(200);
      expect(await get(port, '/readyz')).toEqual({
        status: 503,
        body: { ready: false, bus: true, stores: { events: true, reads: false } },
      });
    } finally {
      state.reads = true;
    }
  });

  it('is neither live nor ready without its bus', async () => {
    state.bus = false;
    try {
      expect(await get(port, '/healthz')).toEqual({ status: 503, body: { live: false, bus: false } });
      expect((await get(port, '/readyz')).status).toBe(503);
    } finally {
      state.bus = true;
    }
  });

  it('answers within its deadline when a check hangs or throws', async () => {
    const server = await startHealthServer(
      {
        bus: () => new Promise<boolean>(() => {}),
        stores: { events: () => Promise.reject(new Error('down')) },
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const started = Date.now();
      expect(await get(server.port, '/readyz')).toEqual({
        status: 503,
        body: { ready: false, bus: false, stores: { events: false } },
      });
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await server.stop();
    }
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await get(port, '/metrics')).status).toBe(404);
    expect((await get(port, '/healthz', 'POST')).status).toBe(405);
  });
});

describe('a Ferry process with FERRY_HEALTH_PORT', () => {
  it('reports its own stores: a runner opens none, a config service both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-health-'));
    const log = pino({ level: 'silent' });
    try {
      const runnerPort = await freePort();
      const runner = await startFerry(
        loadSettings({
          FERRY_SERVICES: 'runner',
          FERRY_DATA_DIR: dir,
          FERRY_HEALTH_PORT: String(runnerPort),
        }),
        log,
      );
      expect(await get(runnerPort, '/readyz')).toEqual({
        status: 200,
        body: { ready: true, bus: true, stores: {} },
      });
      expect((await readdir(dir)).filter((f) => f.endsWith('.sqlite'))).toEqual([]);
      await runner.stop();

      const configPort = await freePort();
      const config = await startFerry(
        loadSettings({
          FERRY_SERVICES: 'config',
          FERRY_DATA_DIR: dir,
          FERRY_HEALTH_PORT: String(configPort),
        }),
        log,
      );
      expect((await get(configPort, '/readyz')).body).toEqual({
        ready: true,
        bus: true,
        stores: { events: true, reads: true },
      });
      // Its operation durations, for Prometheus: a process without a gateway is scraped here.
      const metrics = await fetch(`http://127.0.0.1:${configPort}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toContain('# TYPE ferry_operation_duration_seconds histogram');
      await config.stop();
      await expect(fetch(`http://127.0.0.1:${configPort}/healthz`)).rejects.toThrow(); // stopped with it
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is no longer live once its NATS server is gone', async () => {
    const nats = await startNatsServer();
    const port = await freePort();
    const ferry = await startFerry(
      loadSettings({
        FERRY_SERVICES: 'gateway',
        FERRY_PORT: '0',
        NATS_URL: nats.url,
        FERRY_HEALTH_PORT: String(port),
      }),
      pino({ level: 'silent' }),
    );
    try {
      expect(await get(port, '/healthz')).toEqual({ status: 200, body: { live: true, bus: true } });
      await nats.kill9();
      expect(await get(port, '/healthz')).toEqual({ status: 503, body: { live: false, bus: false } });
    } finally {
      await ferry.stop();
      await nats.stop().catch(() => {});
    }
  });
});
