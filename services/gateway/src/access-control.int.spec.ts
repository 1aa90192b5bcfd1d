import { Writable } from 'node:stream';
import { createInProcessBus, type Bus } from '@ferry/bus';
import { apiTokenDigest, eventSubject, newApiToken, operationById, subjectOf } from '@ferry/contracts';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGateway, type GatewayOptions } from './app.ts';

/**
 * The gateway's side of API tokens, on a real in-process bus with a stand-in for the config service's
 * `verifyApiToken` that counts how often it is asked: the cache, revocation across gateways, the failure
 * limit, and what reaches the logs.
 */
const TOKEN_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const token = newApiToken(TOKEN_ID);
const auth = { user: 'ada', password: 'lovelace' };
const bearer = { authorization: `Bearer ${token}` };

let bus: Bus;
let verifications: number;
let valid: boolean;

beforeEach(async () => {
  bus = createInProcessBus();
  verifications = 0;
  valid = true;
  await bus.handle(subjectOf(operationById('verifyApiToken')), (payload) => {
    verifications += 1;
    const ok = valid && (payload as { digest: string }).digest === apiTokenDigest(token);
    return { body: { valid: ok, role: ok ? 'read' : null } };
  });
  // The route behind the check: any answer will do, the test is about what happens before it.
  await bus.handle(subjectOf(operationById('getWorkspace')), () => ({ body: { workspaceId: 'w' } }));
});
afterEach(async () => {
  await bus.close();
});

const gateway = (extra: Partial<GatewayOptions> = {}) =>
  buildGateway({ bus, version: 'test', auth, ...extra });
const getWorkspace = (app: Awaited<ReturnType<typeof gateway>>, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/api/v1/workspaces/get', payload: { workspaceId: TOKEN_ID }, headers });

describe('bearer tokens at the gateway', () => {
  it('pays the slow verification once per token, not once per request', async () => {
    const app = await gateway();
    for (let i = 0; i < 5; i++) expect((await getWorkspace(app, bearer)).statusCode).toBe(200);
    expect(verifications).toBe(1);
    await app.close();
  });

  it('refuses a malformed token without asking the config service', async () => {
    const app = await gateway();
    const answer = await getWorkspace(app, { authorization: 'Bearer fry_not-a-token' });
    expect(answer.statusCode).toBe(401);
    expect(verifications).toBe(0);
    await app.close();
  });

  it('another gateway stops trusting a token as soon as it hears the revoke event', async () => {
    const app = await gateway({ tokenCacheMs: 60_000 });
    expect((await getWorkspace(app, bearer)).statusCode).toBe(200);
    valid = false;
    await bus.publish(eventSubject(`apiToken-${TOKEN_ID}`, 'ApiTokenRevoked'), {
      type: 'ApiTokenRevoked',
      data: { tokenId: TOKEN_ID, at: 1 },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await getWorkspace(app, bearer)).statusCode).toBe(401);
    await app.close();
  });

  it('without the event, trusts a verification no longer than the cache lifetime', async () => {
    const app = await gateway({ tokenCacheMs: 300 });
    expect((await getWorkspace(app, bearer)).statusCode).toBe(200);
    valid = false;
    expect((await getWorkspace(app, bearer)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await getWorkspace(app, bearer)).statusCode).toBe(401);
    await app.close();
  });

  it('answers 503, not 401, when the config service cannot say', async () => {
    const quiet = createInProcessBus();
    const app = await buildGateway({ bus: quiet, version: 'test', auth });
    expect((await getWorkspace(app, bearer)).statusCode).toBe(503);
    await app.close();
    await quiet.close();
  });
});

describe('failed authentications', () => {
  it('count per address: past the limit 429 with Retry-After, right credentials included', async () => {
    const app = await gateway({ failedAuthentications: { max: 3, timeWindowMs: 60_000 } });
    const wrong = { authorization: `Basic ${Buffer.from('ada:babbage').toString('base64')}` };
    const right = { authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` };
    for (let i = 0; i < 5; i++) expect((await getWorkspace(app, right)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await getWorkspace(app, wrong)).statusCode).toBe(401);
    const limited = await getWorkspace(app, wrong);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await getWorkspace(app, right)).statusCode).toBe(429);
    // Another address is not slowed by this one's failures.
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/workspaces/get',
      payload: { workspaceId: TOKEN_ID },
      headers: right,
      remoteAddress: '10.0.0.9',
    });
    expect(elsewhere.statusCode).toBe(200);
    await app.close();
  });

  it('are forgotten when the window has passed', async () => {
    const app = await gateway({ failedAuthentications: { max: 1, timeWindowMs: 300 } });
    const wrong = { authorization: 'Bearer wrong' };
    expect((await getWorkspace(app, wrong)).statusCode).toBe(401);
    expect((await getWorkspace(app, wrong)).statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await getWorkspace(app, bearer)).statusCode).toBe(200);
    await app.close();
  });
});

describe('logs', () => {
  it('never carry a credential, even with a logger that serializes request headers', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino(
      { level: 'trace', serializers: { req: (req: { headers: unknown }) => ({ headers: req.headers }) } },
      sink,
    );
    const app = await gateway({ logger });
    const basic = `Basic ${Buffer.from('ada:lovelace').toString('base64')}`;
    for (const authorization of [bearer.authorization, basic, 'Bearer fry_wrong'])
      await getWorkspace(app, { authorization });
    await app.close();
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('_').at(-1));
    expect(text).not.toContain(basic.slice(6));
    expect(text).not.toContain('fry_wrong');
  });
});
