import { randomUUID } from 'node:crypto';
import { operations } from '@ferry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, startTestFerry, type TestFerry } from './support/ferry.ts';
import { callWithSample } from './support/sample-bodies.ts';

/** Issue 8, items 3 and 5: API tokens beside Basic, their roles on every route, and bad credentials. */
let ferry: TestFerry;
const basic = { Authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const createToken = async (name: string, role: 'admin' | 'read') => {
  const answer = await ferry.post('/v1/api_tokens/create', { name, role }, basic);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as { tokenId: string; token: string; name: string; role: string; createdAt: number };
};

beforeAll(async () => {
  ferry = await startTestFerry({ FERRY_AUTH_USER: 'ada', FERRY_AUTH_PASSWORD: 'lovelace' });
});
afterAll(async () => {
  await ferry?.stop();
});

/**
 * What a person would call a read, said in words rather than taken from the table's own rule: health and
 * debug, every get, get_by_slug and list, a diff of two versions and a workspace as of a time, except the
 * token operations, which are for admins only.
 */
const readsByName = (path: string) =>
  !path.includes('/api_tokens/') && /\/(get|get_by_slug|list|health|debug|diff|as_of)$/.test(path);

describe('API tokens', () => {
  it('create shows the token once; list shows every token without it; revoke answers 204', async () => {
    const created = await createToken('ci pipeline', 'read');
    expect(created).toEqual({
      tokenId: expect.any(String),
      name: 'ci pipeline',
      role: 'read',
      token: expect.stringMatching(new RegExp(`^fry_${created.tokenId}_[A-Za-z0-9_-]{43}$`)),
      createdAt: expect.any(Number),
    });
    const listed = await ferry.post('/v1/api_tokens/list', undefined, basic);
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(created.token.split('_').at(-1));
    expect(listed.json.tokens).toContainEqual({
      tokenId: created.tokenId,
      name: 'ci pipeline',
      role: 'read',
      createdAt: created.createdAt,
      lastUsedAt: null,
      revoked: false,
    });

    const used = await ferry.post(
      '/v1/workspaces/get',
      { workspaceId: DEFAULT_WORKSPACE_ID },
      bearer(created.token),
    );
    expect(used.status).toBe(200);
    const afterUse = await ferry.post('/v1/api_tokens/list', undefined, basic);
    const entry = afterUse.json.tokens.find((t: { tokenId: string }) => t.tokenId === created.tokenId);
    expect(entry.lastUsedAt).toBeGreaterThanOrEqual(created.createdAt);

    const revoke = await ferry.post('/v1/api_tokens/revoke', { tokenId: created.tokenId }, basic);
    expect(revoke.status).toBe(204);
    expect(revoke.text).toBe('');
    const revoked = await ferry.post('/v1/api_tokens/list', undefined, basic);
    expect(revoked.json.tokens.find((t: { tokenId: string }) => t.tokenId === created.tokenId).revoked).toBe(
      true,
    );
  });

  it('revoking an unknown token is a 404', async () => {
    const answer = await ferry.post('/v1/api_tokens/revoke', { tokenId: randomUUID() }, basic);
    expect(answer.status).toBe(404);
  });

  it('a revoked token is refused at once, by the gateway that had just trusted it', async () => {
    const { tokenId, token } = await createToken('short-lived', 'admin');
    const body = { workspaceId: DEFAULT_WORKSPACE_ID };
    expect((await ferry.post('/v1/workspaces/get', body, bearer(token))).status).toBe(200);
    expect((await ferry.post('/v1/api_tokens/revoke', { tokenId }, bearer(token))).status).toBe(204);
    const after = await ferry.post('/v1/workspaces/get', body, bearer(token));
    expect(after.status).toBe(401);
  });

  it('a wrong, unknown or malformed token is a 401 that says nothing more than a missing one', async () => {
    const { tokenId, token } = await createToken('real', 'admin');
    const wrongSecret = `fry_${tokenId}_${'A'.repeat(43)}`;
    const unknownId = token.replace(tokenId, randomUUID());
    const answers = [];
    for (const headers of [bearer(wrongSecret), bearer(unknownId), bearer('fry_nonsense'), bearer(''), {}])
      answers.push(await ferry.post('/v1/workspaces/get', { workspaceId: DEFAULT_WORKSPACE_ID }, headers));
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="ferry", Bearer realm="ferry"$/);
      expect(answer.json).toEqual({ message: 'Authentication required' });
    }
  });
});

describe('roles, over every operation of the table', () => {
  let admin: string;
  let reader: string;
  beforeAll(async () => {
    admin = (await createToken('walk admin', 'admin')).token;
    reader = (await createToken('walk reader', 'read')).token;
  });

  it('the read role gets 403 on every operation that changes something, and on the token operations', async () => {
    for (const operation of operations) {
      const answer = await callWithSample(ferry, operation, '/api', bearer(reader));
      const where = `${operation.method} ${operation.path} → ${answer.status} ${answer.text}`;
      if (readsByName(operation.path)) {
        expect(answer.status, where).not.toBe(403);
        expect(answer.status, where).toBeLessThan(500);
      } else {
        expect(answer.status, where).toBe(403);
        expect(answer.json.message, where).toMatch(
          new RegExp(`may not call ${operation.operationId}.*admin`),
        );
      }
    }
  });

  it('the read role may also read the OpenAPI document, the docs page, metrics and readiness', async () => {
    for (const path of ['/api/v1/openapi.json', '/api/docs', '/api/v1/metrics', '/api/v1/ready'])
      expect((await ferry.request(path, { headers: bearer(reader) })).status, path).toBe(200);
  });

  it('the admin role gets no 403 anywhere', async () => {
    for (const operation of operations) {
      const answer = await callWithSample(ferry, operation, '/api', bearer(admin));
      const where = `${operation.method} ${operation.path} → ${answer.status} ${answer.text}`;
      expect(answer.status, where).not.toBe(403);
      expect(answer.status, where).not.toBe(401);
      expect(answer.status, where).toBeLessThan(500);
    }
  });
});

describe('repeated failed authentications from one address', () => {
  it('are answered 429 with Retry-After, and then even a right credential waits', async () => {
    const wrong = { Authorization: `Basic ${Buffer.from('ada:babbage').toString('base64')}` };
    const body = { workspaceId: DEFAULT_WORKSPACE_ID };
    let answer = await ferry.post('/v1/workspaces/get', body, wrong);
    for (let i = 0; i < 20 && answer.status === 401; i++)
      answer = await ferry.post('/v1/workspaces/get', body, wrong);
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ferry.post('/v1/workspaces/get', body, basic)).status).toBe(429);
    // Probes are never slowed.
    expect((await ferry.get('/v1/health')).status).toBe(200);
  });
});
