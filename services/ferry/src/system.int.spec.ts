import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type RunningFerry, startFerry } from './index.ts';

type Line = Record<string, unknown> & { level: number; msg: string };

/** The embedded system in this process, its log kept in memory at debug. */
describe('the embedded system, observed', () => {
  let dir: string;
  let ferry: RunningFerry;
  const lines: Line[] = [];
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${ferry.url}/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const definition = async (kind: 'source' | 'destination', name: string) => {
    const list = (await post(`${kind}_definitions/list`, {})).body[`${kind}Definitions`] as Line[];
    return list.find((d) => d.name === name)![`${kind}DefinitionId`] as string;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-observed-'));
    const settings = loadSettings({
      FERRY_PORT: '0',
      FERRY_HOST: '127.0.0.1',
      FERRY_DATA_DIR: join(dir, 'data'),
      LOCAL_ROOT: join(dir, 'local'),
      FERRY_SCHEDULER_TICK_MS: '0',
    });
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    ferry = await startFerry(settings, log);
  });
  afterAll(async () => {
    await ferry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs each message with the ids of the request it serves, in the handlers too', async () => {
    const workspaceId = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
    const source = await post('sources/create', {
      workspaceId,
      sourceDefinitionId: await definition('source', 'Faker'),
      connectionConfiguration: { count: 10 },
      name: 'observed',
    });
    const destination = await post('destinations/create', {
      workspaceId,
      destinationDefinitionId: await definition('destination', 'Local JSON'),
      connectionConfiguration: { destination_path: '/local/observed' },
      name: 'observed',
    });
    const connection = await post('connections/create', {
      sourceId: source.body.sourceId,
      destinationId: destination.body.destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      schedule: null,
      syncSchema: { streams: [] },
    });
    const sync = await post(
      'connections/sync',
      { connectionId: connection.body.connectionId },
      { 'X-Request-Id': 'observed-sync', Prefer: 'wait=30' },
    );
    expect(sync.status).toBe(200);
    // The jobs service's handler, for the gateway's request; the runner's, for the jobs service's call.
    expect(lines).toContainEqual(
      expect.objectContaining({
        service: 'jobs',
        operation: 'syncConnection',
        requestId: 'observed-sync',
        correlationId: 'observed-sync',
        msg: 'sync job created',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        service: 'runner',
        operation: 'runSyncAttempt',
        correlationId: 'observed-sync',
        msg: 'sync attempt accepted',
      }),
    );
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
  });

  it("shows each service's operation durations on the gateway's metrics", async () => {
    const response = await fetch(`${ferry.url}/v1/metrics`);
    const text = await response.text();
    expect(text).toContain('# TYPE ferry_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE ferry_operation_duration_seconds histogram');
    expect(text).toMatch(
      /ferry_operations_total\{service="config",operation="createSource",outcome="ok"\} 1\n/,
    );
    expect(text).toMatch(
      /ferry_operations_total\{service="jobs",operation="syncConnection",outcome="ok"\} 1\n/,
    );
    expect(text).toMatch(
      /ferry_operation_duration_seconds_count\{service="runner",operation="runSyncAttempt",outcome="ok"\} \d+\n/,
    );
  });
});
