import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, definitionIdByName, startTestFerry, type TestFerry } from './support/ferry.ts';
import { until } from './support/until.ts';
import { storedEvents } from './support/stores.ts';

/** Issue 8, item 4: every event names who did it, as its metadata's actor. */
let ferry: TestFerry;
const basic = { Authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` };

beforeAll(async () => {
  ferry = await startTestFerry({
    FERRY_AUTH_USER: 'ada',
    FERRY_AUTH_PASSWORD: 'lovelace',
    FERRY_SCHEDULER_TICK_MS: '300',
    FERRY_SYNC_HEARTBEAT_MS: '300',
  });
});
afterAll(async () => {
  await ferry?.stop();
});

const actorsOf = (stream: string) =>
  new Set(
    storedEvents(ferry.dataDir)
      .filter((e) => e.stream === stream)
      .map((e) => (JSON.parse(e.metadata) as { actor: string }).actor),
  );

const ok = async (path: string, body: unknown, headers: Record<string, string>) => {
  const answer = await ferry.post(path, body, headers);
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
  return answer.json;
};

describe('the actor of every event', () => {
  let tokenId: string;
  let sourceId: string;
  let destinationId: string;

  it('is token:<id> for a request made with an API token', async () => {
    const created = await ok('/v1/api_tokens/create', { name: 'automation', role: 'admin' }, basic);
    tokenId = created.tokenId;
    const source = await ok(
      '/v1/sources/create',
      {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Faker', basic),
        connectionConfiguration: { count: 5, seed: 1 },
        name: 'by token',
      },
      { Authorization: `Bearer ${created.token}` },
    );
    sourceId = source.sourceId;
    expect(actorsOf(`source-${sourceId}`)).toEqual(new Set([`token:${tokenId}`]));
  });

  it('is user:<name> for a request made with Basic credentials', async () => {
    const destination = await ok(
      '/v1/destinations/create',
      {
        workspaceId: DEFAULT_WORKSPACE_ID,
        destinationDefinitionId: await definitionIdByName(ferry, 'destination', 'Local JSON', basic),
        connectionConfiguration: { destination_path: '/local/principals' },
        name: 'by user',
      },
      basic,
    );
    destinationId = destination.destinationId;
    expect(actorsOf(`destination-${destinationId}`)).toEqual(new Set(['user:ada']));
    expect(actorsOf(`apiToken-${tokenId}`)).toContain('user:ada');
  });

  it('is system:scheduler for a sync the scheduler fired', async () => {
    const connection = await ok(
      '/v1/connections/create',
      {
        sourceId,
        destinationId,
        syncMode: 'full_refresh',
        status: 'active',
        syncSchema: { streams: [] },
        schedule: { units: 1, timeUnit: 'minutes' },
      },
      basic,
    );
    expect(actorsOf(`connection-${connection.connectionId}`)).toEqual(new Set(['user:ada']));
    const job = await until(async () => {
      const list = await ok(
        '/v1/jobs/list',
        { configType: 'sync', configId: connection.connectionId },
        basic,
      );
      const ended = list.jobs.find((j: { job: { status: string } }) => j.job.status === 'succeeded');
      return ended?.job as { id: number } | undefined;
    }, 30_000);
    expect(actorsOf(`job-${job.id}`)).toEqual(new Set(['system:scheduler']));
    expect(actorsOf(`schedule-${connection.connectionId}`)).toEqual(new Set(['system:scheduler']));
  });
});
