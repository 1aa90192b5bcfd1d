import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@ferry/contracts';
import { nkeys } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busContract } from './contract-suite.ts';
import { connectNatsBus, type NatsBusOptions } from './nats.ts';
import { createTestCertificates, type TestCertificates } from './testing/certificates.ts';
import { type NatsServer, startNatsServer } from './testing/nats-server.ts';
import { createTestOperator } from './testing/operator.ts';

const PASSWORD = 'pw-7f3a9c';
const TOKEN = 'token-51d0e2';

let dir: string;
let certs: TestCertificates;
const file = (name: string, content: string | Uint8Array) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-nats-security-'));
  certs = createTestCertificates(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects, asks itself once and closes: the connection works end to end. */
const roundTrip = async (options: NatsBusOptions) => {
  const bus = await connectNatsBus(options);
  await bus.handle('secured.echo', (payload) => payload);
  const answer = await bus.request('secured.echo', { n: 1 });
  await bus.close();
  return answer;
};

const refusal = async (options: NatsBusOptions) => {
  const error: Error = await connectNatsBus(options).then(
    () => expect.fail('expected the connection to be refused'),
    (reason: Error) => reason,
  );
  expect(error.message).not.toContain(PASSWORD);
  expect(error.message).not.toContain(TOKEN);
  expect(error.message.split('\n')).toHaveLength(1);
  return error.message;
};

describe('TLS and users with a password or an NKey', () => {
  let server: NatsServer;
  const nkey = nkeys.createUser();
  let seedFile: string;
  let tls: { caFile: string };
  beforeAll(async () => {
    seedFile = file('user.nk', nkey.getSeed());
    tls = { caFile: certs.ca };
    const config = file(
      'users.conf',
      `tls { cert_file: "${certs.serverCert}", key_file: "${certs.serverKey}" }
       authorization { users: [ { user: ferry, password: $FERRY_TEST_PASSWORD }, { nkey: ${nkey.getPublicKey()} } ] }`,
    );
    server = await startNatsServer({ configFile: config, env: { FERRY_TEST_PASSWORD: PASSWORD } });
  });
  afterAll(() => server.stop());

  busContract('nats over TLS as a user with a password', async () => {
    const options = { servers: server.url, tls, auth: { user: 'ferry', password: PASSWORD } };
    const bus = await connectNatsBus({ ...options, name: 'secured-bus' });
    const second = await connectNatsBus({ ...options, name: 'secured-second' });
    return { bus, second, cleanup: async () => void (await Promise.all([bus.close(), second.close()])) };
  });

  it('refuses a client without credentials, naming the server and the reason', async () => {
    expect(await refusal({ servers: server.url, tls })).toBe(
      `Cannot connect to NATS at ${server.url}: Authorization Violation`,
    );
  });

  it('refuses a wrong password without repeating it', async () => {
    const message = await refusal({
      servers: server.url,
      tls,
      auth: { user: 'ferry', password: 'wrong-pw' },
    });
    expect(message).toMatch(/: Authorization Violation$/);
    expect(message).not.toContain('wrong-pw');
  });

  it('refuses a server certificate that no trusted CA signed', async () => {
    const message = await refusal({ servers: server.url, auth: { user: 'ferry', password: PASSWORD } });
    expect(message).toMatch(/^Cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*certificate/);
  });

  it('connects with an NKey seed from a file, and to a tls:// URL', async () => {
    const servers = server.url.replace('nats://', 'tls://');
    expect(await roundTrip({ servers, tls, auth: { nkeySeedFile: seedFile } })).toEqual({ n: 1 });
  });

  it('says which seed file it cannot read', async () => {
    const message = await refusal({
      servers: server.url,
      tls,
      auth: { nkeySeedFile: join(dir, 'absent.nk') },
    });
    expect(message).toBe(
      `Cannot connect to NATS at ${server.url}: cannot read the NKey seed file ${join(dir, 'absent.nk')} (ENOENT)`,
    );
  });

  it('keeps credentials in a server URL out of its error', async () => {
    const gone = server.url.replace('nats://', `nats://ferry:${PASSWORD}@`).replace(/\d+$/, '1');
    expect(await refusal({ servers: gone })).toMatch(/^Cannot connect to NATS at nats:\/\/127\.0\.0\.1:1: /);
  });
});

describe('a token, with client certificates required', () => {
  let server: NatsServer;
  beforeAll(async () => {
    const config = file(
      'token.conf',
      `tls { cert_file: "${certs.serverCert}", key_file: "${certs.serverKey}", ca_file: "${certs.ca}", verify: true }
       authorization { token: $FERRY_TEST_TOKEN }`,
    );
    server = await startNatsServer({ configFile: config, env: { FERRY_TEST_TOKEN: TOKEN } });
  });
  afterAll(() => server.stop());
  const tls = () => ({ caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey });

  it('connects with the token and a client certificate', async () => {
    expect(await roundTrip({ servers: server.url, tls: tls(), auth: { token: TOKEN } })).toEqual({ n: 1 });
  });

  it('refuses a wrong token, and a client without a certificate', async () => {
    expect(await refusal({ servers: server.url, tls: tls(), auth: { token: 'wrong' } })).toMatch(
      /: Authorization Violation$/,
    );
    // The server drops the handshake without a word; the client's wait is all it learns.
    const unproven = { tls: { caFile: certs.ca }, auth: { token: TOKEN }, connectTimeoutMs: 1_000 };
    expect(await refusal({ servers: server.url, ...unproven })).toBe(
      `Cannot connect to NATS at ${server.url}: no answer within 1 s (does the server require a client certificate?)`,
    );
  });
});

describe('a credentials file, against a server in operator mode', () => {
  it('connects with the user JWT and seed of the .creds file, and not without', async () => {
    const operator = createTestOperator();
    await using server = await startNatsServer({ configFile: file('operator.conf', operator.serverConfig) });
    const credsFile = file('user.creds', operator.userCreds);
    expect(await roundTrip({ servers: server.url, auth: { credsFile } })).toEqual({ n: 1 });
    expect(await refusal({ servers: server.url })).toMatch(/: Authorization Violation$/);
  });
});

describe("a user's permissions", () => {
  it('fail a subscription and a request they do not cover at once, with bus.not_permitted', async () => {
    const permissions = `{ publish: ["allowed.>", "_INBOX.limited.>"], subscribe: ["allowed.>", "_INBOX.limited.>"] }`;
    const config = file(
      'limited.conf',
      `authorization { users: [ { user: limited, password: x, permissions: ${permissions} } ] }`,
    );
    await using server = await startNatsServer({ configFile: config });
    const bus = await connectNatsBus({
      servers: server.url,
      name: 'limited',
      auth: { user: 'limited', password: 'x' },
    });
    await bus.handle('allowed.echo', (payload) => payload);
    expect(await bus.request('allowed.echo', 1)).toBe(1);
    const denied = (work: Promise<unknown>) =>
      work.then(
        () => expect.fail('expected a denial'),
        (e: DomainError) => e,
      );
    expect(await denied(bus.handle('denied.echo', (payload) => payload))).toMatchObject({
      code: 'bus.not_permitted',
    });
    const started = Date.now();
    const refused = await denied(bus.request('denied.echo', 1, { timeoutMs: 30_000 }));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused.code).toBe('bus.not_permitted');
    expect(Date.now() - started).toBeLessThan(1_000);
    await bus.close();
  });

  it('tell onError of an event the server refused, which no caller waits for', async () => {
    const permissions = `{ publish: "allowed.>", subscribe: "_INBOX.>" }`;
    const config = file(
      'events.conf',
      `authorization { users: [ { user: u, password: x, permissions: ${permissions} } ] }`,
    );
    await using server = await startNatsServer({ configFile: config });
    const errors: unknown[] = [];
    const onError = (error: unknown) => void errors.push(error);
    const bus = await connectNatsBus({ servers: server.url, auth: { user: 'u', password: 'x' }, onError });
    await bus.publish('denied.event', {});
    await expect.poll(() => errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'bus.not_permitted',
      message: expect.stringContaining('denied.event'),
    });
    await bus.close();
  });
});

describe('a server without TLS', () => {
  it('is refused when TLS is asked for, rather than used in plain text', async () => {
    await using server = await startNatsServer();
    const servers = server.url.replace('nats://', 'tls://');
    expect(await refusal({ servers })).toBe(
      `Cannot connect to NATS at ${servers}: TLS is required but the server does not offer it`,
    );
    expect(await refusal({ servers: server.url, tls: { caFile: certs.ca } })).toMatch(/TLS is required/);
  });

  it('refuses a connection name that cannot name inboxes', async () => {
    await using server = await startNatsServer();
    expect(await refusal({ servers: server.url, name: 'ferry config' })).toMatch(/must be one subject token/);
  });
});
