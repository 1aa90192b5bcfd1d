import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';

/**
 * ADR 0041: a whole web_backend list makes and sends its items 500 connections at a time. With more
 * connections than that, each whole list is still every connection once, in id order, spelled as its pages
 * spell them, and an unknown workspace is still a 404.
 */
const CONNECTIONS = 1_001;
const LISTS = ['/v1/connections/list', '/v1/web_backend/connections/list'] as const;
const workspaceId = DEFAULT_WORKSPACE_ID;
let ferry: TestFerry;

beforeAll(async () => {
  ferry = await startTestFerry();
  const sourceId = await createFakerSource(ferry, 'many');
  const destinationId = await createLocalDestination(ferry, 'JSON', 'many');
  for (let made = 0; made < CONNECTIONS; made += 25) {
    const batch = Math.min(25, CONNECTIONS - made);
    await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        createConnection(ferry, sourceId, destinationId, { name: `c${made + i}` }),
      ),
    );
  }
}, 300_000);
afterAll(async () => {
  await ferry?.stop();
});

describe.each(LISTS)('%s whole, longer than a slice', (path) => {
  it('is every connection once, in id order, the bytes JSON.stringify makes of its pages’ items', async () => {
    const whole = await ferry.post(path, { workspaceId });
    expect(whole.status, whole.text).toBe(200);
    const items: Array<{ connectionId: string }> = [];
    for (let pageToken: string | undefined, first = true; first || pageToken; first = false) {
      const page = await ferry.post(path, { workspaceId, pageSize: 400, ...(pageToken && { pageToken }) });
      expect(page.status, page.text).toBe(200);
      items.push(...page.json.connections);
      pageToken = page.json.nextPageToken;
    }
    const ids = items.map((c) => c.connectionId);
    expect(ids).toHaveLength(CONNECTIONS);
    expect(new Set(ids).size).toBe(CONNECTIONS);
    expect(ids).toEqual(ids.toSorted());
    expect(whole.text).toBe(JSON.stringify({ connections: items }));
  });

  it('answers 404 for an unknown workspace', async () => {
    const answer = await ferry.post(path, { workspaceId: '00000000-0000-4000-8000-000000000000' });
    expect(answer.status, answer.text).toBe(404);
  });
});
