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
 * The pagination extension (ADR 0013) on connections/list and web_backend/connections/list: without
 * pageSize and pageToken the whole list as before; with them pages in id order whose concatenation is the
 * whole list, `nextPageToken` absent on the last page, stable while connections are added between pages,
 * and 422 naming the field for a bad size or token.
 */
const LISTS = ['/v1/connections/list', '/v1/web_backend/connections/list'] as const;
const workspaceId = DEFAULT_WORKSPACE_ID;
let ferry: TestFerry;
let sourceId: string;
let destinationId: string;

const ok = async (path: string, body: unknown) => {
  const answer = await ferry.post(path, body);
  expect(answer.status, `${path} ${JSON.stringify(body)} → ${answer.text}`).toBe(200);
  return answer.json;
};
const idsOf = (list: { connections: Array<{ connectionId: string }> }) =>
  list.connections.map((c) => c.connectionId);

/** Every page of a list, following the tokens: the ids of each page and the raw pages. */
const allPages = async (path: string, pageSize: number, between: () => Promise<void> = async () => {}) => {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await ok(path, { workspaceId, pageSize, pageToken });
    pages.push(idsOf(page));
    pageToken = page.nextPageToken;
    if (pageToken) expect(page.connections).toHaveLength(pageSize);
    await between();
  } while (pageToken);
  return pages;
};

beforeAll(async () => {
  ferry = await startTestFerry();
  sourceId = await createFakerSource(ferry, 'paged source');
  destinationId = await createLocalDestination(ferry, 'JSON', 'paged destination');
  for (let i = 0; i < 7; i++) await createConnection(ferry, sourceId, destinationId, { name: `c${i}` });
  // A deleted connection is in no list and no page.
  const deleted = await createConnection(ferry, sourceId, destinationId, { name: 'deleted' });
  expect((await ferry.post('/v1/connections/delete', { connectionId: deleted })).status).toBe(204);
}, 120_000);
afterAll(async () => {
  await ferry?.stop();
});

describe.each(LISTS)('%s pages on request', (path) => {
  it('answers the whole list in id order, with no nextPageToken, when no page is asked for', async () => {
    const whole = await ok(path, { workspaceId });
    expect(whole.connections).toHaveLength(7);
    expect(whole).not.toHaveProperty('nextPageToken');
    expect(idsOf(whole)).toEqual(idsOf(whole).toSorted());
  });

  it("gives pages whose concatenation is the whole list, each answer's items as in the whole list", async () => {
    const whole = await ok(path, { workspaceId });
    const pages = await allPages(path, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(idsOf(whole));
    const first = await ok(path, { workspaceId, pageSize: 3 });
    expect(first.connections).toEqual(whole.connections.slice(0, 3));
    // A page as large as the list is its last: no token.
    const all = await ok(path, { workspaceId, pageSize: 7 });
    expect(all).toEqual(whole);
  });

  it('a pageToken alone continues with pages of the default size', async () => {
    const first = await ok(path, { workspaceId, pageSize: 2 });
    const rest = await ok(path, { workspaceId, pageToken: first.nextPageToken });
    expect([...idsOf(first), ...idsOf(rest)]).toEqual(idsOf(await ok(path, { workspaceId })));
    expect(rest).not.toHaveProperty('nextPageToken');
  });

  it.each([0, -1, 1001, 2.5, '3'])('refuses pageSize %j with 422 on pageSize', async (pageSize) => {
    const answer = await ferry.post(path, { workspaceId, pageSize });
    expect(answer.status).toBe(422);
    expect(answer.json.validationErrors.map((e: { propertyPath: string }) => e.propertyPath)).toContain(
      'pageSize',
    );
  });

  it('refuses a made-up, altered or cut token, and one of another list, with 422 on pageToken', async () => {
    const { nextPageToken: token } = await ok(path, { workspaceId, pageSize: 1 });
    const [body = '', check = ''] = token.split('.');
    const altered = `${Buffer.from(Buffer.from(body, 'base64url').toString().replace('"v":1', '"v":2')).toString('base64url')}.${check}`;
    const audit = await ok('/v1/audit/list', { pageSize: 1 });
    for (const pageToken of [
      '',
      'forged',
      `${body}.AAAA`,
      altered,
      token.slice(0, -1),
      audit.nextPageToken,
    ]) {
      const answer = await ferry.post(path, { workspaceId, pageSize: 1, pageToken });
      expect(answer.status, pageToken).toBe(422);
      expect(answer.json.validationErrors[0].propertyPath).toBe('pageToken');
    }
  });
});

describe('a list answered from the stored texts', () => {
  /** The answer's bytes as text: what a client reads. */
  const text = async (path: string, body: unknown) => {
    const answer = await ferry.post(path, body);
    expect(answer.status, answer.text).toBe(200);
    return answer.text;
  };
  const listOf = (items: string[], more = '') => `{"connections":[${items.join(',')}]${more}}`;

  it('spells each connection as connections/get does, byte for byte, whole and paged', async () => {
    const ids = idsOf(await ok('/v1/connections/list', { workspaceId }));
    const gets = await Promise.all(ids.map((connectionId) => text('/v1/connections/get', { connectionId })));
    expect(await text('/v1/connections/list', { workspaceId })).toBe(listOf(gets));
    const page = await ok('/v1/connections/list', { workspaceId, pageSize: 2 });
    const token = `,"nextPageToken":${JSON.stringify(page.nextPageToken)}`;
    expect(await text('/v1/connections/list', { workspaceId, pageSize: 2 })).toBe(
      listOf(gets.slice(0, 2), token),
    );
  });

  it("spells each web_backend item as the spread of the connection's, source's and destination's answers", async () => {
    const whole = await ok('/v1/web_backend/connections/list', { workspaceId });
    const items = await Promise.all(
      whole.connections.map(async (item: { connectionId: string; lastSync?: number; isSyncing: boolean }) => {
        const connection = await ok('/v1/connections/get', { connectionId: item.connectionId });
        const source = await ok('/v1/sources/get', { sourceId: connection.sourceId });
        const destination = await ok('/v1/destinations/get', { destinationId: connection.destinationId });
        const { lastSync, isSyncing } = item;
        return JSON.stringify({ ...connection, source, destination, lastSync, isSyncing });
      }),
    );
    expect(await text('/v1/web_backend/connections/list', { workspaceId })).toBe(listOf(items));
    const connectionId = whole.connections[0].connectionId;
    expect(await text('/v1/web_backend/connections/get', { connectionId })).toBe(items[0]);
  });
});

describe('paging while connections are added', () => {
  it('shows every connection that was there before exactly once, and those added after the page they sort into', async () => {
    const before = idsOf(await ok('/v1/connections/list', { workspaceId }));
    const added: string[] = [];
    const pages = await allPages('/v1/connections/list', 2, async () => {
      if (added.length < 4) added.push(await createConnection(ferry, sourceId, destinationId));
    });
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    expect(seen).toEqual(seen.toSorted());
    // A connection added after the page that would hold it was read is in the next whole list.
    expect(idsOf(await ok('/v1/connections/list', { workspaceId }))).toEqual(
      [...before, ...added].toSorted(),
    );
  });
});
