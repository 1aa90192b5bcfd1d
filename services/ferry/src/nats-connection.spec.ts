import { describe, expect, it } from 'vitest';
import { natsBusOptions } from './nats-connection.ts';
import { loadSettings } from './settings.ts';

const URL = 'tls://nats:4222';
const optionsFor = (env: Record<string, string>) => {
  const settings = loadSettings({ NATS_URL: URL, FERRY_SERVICES: 'config', ...env });
  return natsBusOptions(URL, settings);
};

describe('NATS connection settings', () => {
  it('name the connection after the services the process runs', () => {
    expect(optionsFor({}).name).toBe('ferry-config');
    expect(optionsFor({ FERRY_SERVICES: 'jobs,runner' }).name).toBe('ferry-jobs+runner');
  });

  it('turn each way to authenticate into the bus option, and nothing into none', () => {
    expect(optionsFor({}).auth).toBeUndefined();
    expect(optionsFor({ NATS_USER: 'ferry-config', NATS_PASSWORD: 'pw' }).auth).toEqual({
      user: 'ferry-config',
      password: 'pw',
    });
    expect(optionsFor({ NATS_TOKEN: 't' }).auth).toEqual({ token: 't' });
    expect(optionsFor({ NATS_NKEY_SEED_FILE: '/run/secrets/nk' }).auth).toEqual({
      nkeySeedFile: '/run/secrets/nk',
    });
    expect(optionsFor({ NATS_CREDS_FILE: '/run/secrets/ferry.creds' }).auth).toEqual({
      credsFile: '/run/secrets/ferry.creds',
    });
  });

  it('ask for TLS with the CA and the client certificate given', () => {
    expect(optionsFor({}).tls).toBeUndefined();
    expect(optionsFor({ NATS_TLS_CA: '/tls/ca.pem' }).tls).toEqual({ caFile: '/tls/ca.pem' });
    expect(optionsFor({ NATS_TLS_CERT: '/tls/c.pem', NATS_TLS_KEY: '/tls/k.pem' }).tls).toEqual({
      certFile: '/tls/c.pem',
      keyFile: '/tls/k.pem',
    });
  });

  it.each([
    [{ NATS_USER: 'a' }, 'set both NATS_USER and NATS_PASSWORD, or neither'],
    [{ NATS_PASSWORD: 'a' }, 'set both NATS_USER and NATS_PASSWORD, or neither'],
    [{ NATS_TLS_CERT: '/c.pem' }, 'set both NATS_TLS_CERT and NATS_TLS_KEY, or neither'],
    [
      { NATS_TOKEN: 't', NATS_CREDS_FILE: '/c' },
      'use one way to authenticate to NATS, not NATS_TOKEN and NATS_CREDS_FILE',
    ],
    [
      { NATS_USER: 'a', NATS_PASSWORD: 'b', NATS_NKEY_SEED_FILE: '/s' },
      'use one way to authenticate to NATS, not NATS_USER/NATS_PASSWORD and NATS_NKEY_SEED_FILE',
    ],
  ])('refuse %o in one line', (env, problem) => {
    expect(() => loadSettings(env)).toThrow(`invalid configuration: settings: ${problem}`);
  });

  it('never repeat a secret in a refusal', () => {
    expect(() => loadSettings({ NATS_PASSWORD: 'hunter2-secret', NATS_TOKEN: 'tok-secret' })).toThrow(
      /^(?!.*secret).*$/,
    );
  });
});
