import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';

/**
 * The pagination extension (ADR 0013) on every list besides the connections' (tests/lists.spec.ts):
 * without pageSize and pageToken the whole list in the order it always had; with them pages in the list's
 * page order (its id; a version for history/list) that, followed to the end while items are added, show
 * every item that was there before exactly once; `nextPageToken` absent on the last page; 422 naming the
 * field for a bad size, a bad token, or a token of another list.
 */
let ferry: TestFerry;
let sourceId: string;
const workspaceId = DEFAULT_WORKSPACE_ID;
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
type Item = any;

interface PagedList {
  path: string;
  /** The list's filters; `undefined` for the lists the seed calls without a body. */
  filters: () => Record<string, unknown> | undefined;
  /** The answer's field that holds the items. */
  items: string;
  /** What orders the pages. */
  pageKey: (item: Item) => string | number;
  /** The order of the keys page after page: ascending unless a list says otherwise. */
  pageOrder?: (a: string | number, b: string | number) => number;
  /** Fails unless the whole list is in the order the list had before the extension. */
  expectWholeOrder: (items: Item[]) => void;
  /** Adds one item to the list. */
  add: (n: number) => Promise<void>;
}

const ok = async (path: string, body: unknown) => {
  const answer = await ferry.post(path, body);
  expect(answer.status, `${path} ${JSON.stringify(body)} → ${answer.text}`).toBe(200);
  return answer.json;
};
const ascending = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const expectSorted = <T>(values: T[], compare: (a: T, b: T) => number) =>
  expect(values).toEqual(values.toSorted(compare));
/** Names this spec gives are plain lowercase, so their order is the same under any collation. */
const expectOwnByName = (items: Item[]) =>
  expectSorted(
    items.map((i) => i.name as string).filter((name) => name.startsWith('paged ')),
    ascending,
  );

const definitionOf = async (kind: 'source' | 'destination', name: string) => {
  const list = await ok(`/v1/${kind}_definitions/list`, undefined);
  return list[`${kind}Definitions`].find((d: Item) => d.name === name);
};
/** A definition list; an item is added as a copy of a built-in definition's image. */
const definitionList = (kind: 'source' | 'destination', builtIn: string): PagedList => ({
  path: `/v1/${kind}_definitions/list`,
  filters: () => undefined,
  items: `${kind}Definitions`,
  pageKey: (d) => d[`${kind}DefinitionId`],
  expectWholeOrder: expectOwnByName,
  add: async (n) => {
    const { dockerRepository, dockerImageTag } = await definitionOf(kind, builtIn);
    const name = `paged ${kind} definition ${n}`;
    const documentationUrl = 'https://example.com/paged';
    await ok(`/v1/${kind}_definitions/create`, { name, dockerRepository, dockerImageTag, documentationUrl });
  },
});

const LISTS: PagedList[] = [
  {
    path: '/v1/sources/list',
    filters: () => ({ workspaceId }),
    items: 'sources',
    pageKey: (s) => s.sourceId,
    expectWholeOrder: expectOwnByName,
    add: async (n) => void (await createFakerSource(ferry, `paged source ${n}`)),
  },
  {
    path: '/v1/destinations/list',
    filters: () => ({ workspaceId }),
    items: 'destinations',
    pageKey: (d) => d.destinationId,
    expectWholeOrder: expectOwnByName,
    add: async (n) => void (await createLocalDestination(ferry, 'JSON', `paged destination ${n}`)),
  },
  definitionList('source', 'Faker'),
  definitionList('destination', 'Local JSON'),
  {
    path: '/v1/jobs/list',
    filters: () => ({ configType: 'check_connection_source', configId: sourceId }),
    items: 'jobs',
    // Pages are newest first, as the whole list.
    pageKey: (j) => j.job.id as number,
    pageOrder: (a, b) => Number(b) - Number(a),
    expectWholeOrder: (jobs) =>
      expectSorted(
        jobs.map((j) => j.job.id as number),
        (a, b) => b - a,
      ),
    add: async () => void (await ok('/v1/sources/check_connection', { sourceId })),
  },
  {
    path: '/v1/api_tokens/list',
    filters: () => undefined,
    items: 'tokens',
    pageKey: (t) => t.tokenId,
    expectWholeOrder: (tokens) =>
      expectSorted(tokens, (a, b) => a.createdAt - b.createdAt || ascending(a.tokenId, b.tokenId)),
    add: async (n) => void (await ok('/v1/api_tokens/create', { name: `paged ${n}`, role: 'read' })),
  },
  {
    path: '/v1/history/list',
    filters: () => ({ resourceId: sourceId }),
    items: 'versions',
    pageKey: (v) => v.version,
    expectWholeOrder: (versions) =>
      expectSorted(
        versions.map((v) => v.version as number),
        ascending,
      ),
    add: async (n) =>
      void (await ok('/v1/sources/update', {
        sourceId,
        connectionConfiguration: { count: 10, seed: n },
        name: 'paged history',
      })),
  },
];

/** The filters with the paging fields: `{}` for the body-less lists. */
const bodyOf = (list: PagedList, page: Record<string, unknown>) => ({ ...list.filters(), ...page });
const itemsOf = (list: PagedList, answer: Item): Item[] => answer[list.items];
const keysOf = (list: PagedList, answer: Item) => itemsOf(list, answer).map(list.pageKey);
const inPageOrder = (list: PagedList, keys: Array<string | number>) =>
  keys.toSorted(list.pageOrder ?? ascending);

/** Every page of a list, following the tokens, with `between` run after each page. */
const allPages = async (list: PagedList, pageSize: number, between: () => Promise<void>) => {
  const pages: Array<Array<string | number>> = [];
  let pageToken: string | undefined;
  do {
    const page = await ok(list.path, bodyOf(list, { pageSize, pageToken }));
    pages.push(keysOf(list, page));
    pageToken = page.nextPageToken;
    if (pageToken) expect(itemsOf(list, page)).toHaveLength(pageSize);
    await between();
  } while (pageToken);
  return pages;
};

let added = 0;
beforeAll(async () => {
  ferry = await startTestFerry();
  sourceId = await createFakerSource(ferry, 'paged jobs and history');
  // At least five items in every list, so that pages of two are three or more.
  for (const list of LISTS) {
    while (itemsOf(list, await ok(list.path, list.filters())).length < 5) await list.add(added++);
  }
}, 180_000);
afterAll(async () => {
  await ferry?.stop();
});

describe.each(LISTS)('$path pages on request', (list) => {
  it('answers the whole list in its usual order, with no nextPageToken, when no page is asked for', async () => {
    const whole = await ok(list.path, list.filters());
    expect(whole).not.toHaveProperty('nextPageToken');
    list.expectWholeOrder(itemsOf(list, whole));
    if (list.filters() === undefined) {
      // The seed sends no body; an empty object or null is the whole list too.
      expect(await ok(list.path, {})).toEqual(whole);
      expect(
        (
          await ferry.request(`/api${list.path}`, {
            method: 'POST',
            body: 'null',
            headers: { 'content-type': 'application/json' },
          })
        ).json,
      ).toEqual(whole);
    }
  });

  it('gives pages in page order whose concatenation is the whole list, the last without a token', async () => {
    const whole = await ok(list.path, list.filters());
    const pages = await allPages(list, 2, async () => {});
    expect(pages.flat()).toEqual(inPageOrder(list, keysOf(list, whole)));
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
    const first = await ok(list.path, bodyOf(list, { pageSize: 2 }));
    const byKey = new Map(itemsOf(list, whole).map((item) => [list.pageKey(item), item]));
    expect(itemsOf(list, first)).toEqual(keysOf(list, first).map((key) => byKey.get(key)));
    const rest = await ok(list.path, bodyOf(list, { pageToken: first.nextPageToken }));
    expect(rest).not.toHaveProperty('nextPageToken');
    expect([...keysOf(list, first), ...keysOf(list, rest)]).toEqual(pages.flat());
  });

  it('shows every item that was there before exactly once while items are added between pages', async () => {
    const before = keysOf(list, await ok(list.path, list.filters()));
    let adds = 0;
    const pages = await allPages(list, 2, async () => {
      if (adds++ < 3) await list.add(added++);
    });
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(inPageOrder(list, seen));
    expect(seen.filter((key) => before.includes(key))).toEqual(inPageOrder(list, before));
    const after = keysOf(list, await ok(list.path, list.filters()));
    expect(after).toHaveLength(before.length + 3);
  });

  it.each([0, -1, 1001, 2.5, '3'])('refuses pageSize %j with 422 on pageSize', async (pageSize) => {
    const answer = await ferry.post(list.path, bodyOf(list, { pageSize }));
    expect(answer.status).toBe(422);
    expect(answer.json.validationErrors.map((e: Item) => e.propertyPath)).toContain('pageSize');
  });

  it("refuses a made-up, altered or cut token, and another list's, with 422 on pageToken", async () => {
    const { nextPageToken: token } = await ok(list.path, bodyOf(list, { pageSize: 1 }));
    const [body = '', check = ''] = token.split('.');
    const altered = `${Buffer.from(Buffer.from(body, 'base64url').toString().replace('"v":1', '"v":2')).toString('base64url')}.${check}`;
    const other = LISTS[(LISTS.indexOf(list) + 1) % LISTS.length]!;
    const { nextPageToken: othersToken } = await ok(other.path, bodyOf(other, { pageSize: 1 }));
    for (const pageToken of ['', 'forged', `${body}.AAAA`, altered, token.slice(0, -1), othersToken]) {
      const answer = await ferry.post(list.path, bodyOf(list, { pageSize: 1, pageToken }));
      expect(answer.status, pageToken).toBe(422);
      expect(answer.json.validationErrors[0].propertyPath).toBe('pageToken');
    }
  });
});
