import type { NatsAuth, NatsBusOptions, NatsTls } from '@ferry/bus';
import type { Settings } from './settings.ts';

type NatsSettings = Pick<
  Settings,
  | 'NATS_USER'
  | 'NATS_PASSWORD'
  | 'NATS_TOKEN'
  | 'NATS_NKEY_SEED_FILE'
  | 'NATS_CREDS_FILE'
  | 'NATS_TLS_CA'
  | 'NATS_TLS_CERT'
  | 'NATS_TLS_KEY'
>;

/**
 * The connection name, and so the NATS user of the sample configuration and the inbox prefix its
 * permissions allow (deploy/nats/nats-server.conf): `ferry-config` for a process that runs the config
 * service; `ferry-jobs+runner` for one that runs both.
 */
export const natsConnectionName = (services: readonly string[]): string => `ferry-${services.join('+')}`;

/** What is wrong with the NATS security settings, one sentence per mistake (empty when nothing is). */
export function natsSettingsProblems(s: NatsSettings): string[] {
  const problems: string[] = [];
  if (Boolean(s.NATS_USER) !== Boolean(s.NATS_PASSWORD))
    problems.push('set both NATS_USER and NATS_PASSWORD, or neither');
  if (Boolean(s.NATS_TLS_CERT) !== Boolean(s.NATS_TLS_KEY))
    problems.push('set both NATS_TLS_CERT and NATS_TLS_KEY, or neither');
  const methods = Object.entries({
    'NATS_USER/NATS_PASSWORD': s.NATS_USER ?? s.NATS_PASSWORD,
    NATS_TOKEN: s.NATS_TOKEN,
    NATS_NKEY_SEED_FILE: s.NATS_NKEY_SEED_FILE,
    NATS_CREDS_FILE: s.NATS_CREDS_FILE,
  }).filter(([, value]) => value !== undefined);
  if (methods.length > 1)
    problems.push(`use one way to authenticate to NATS, not ${methods.map(([name]) => name).join(' and ')}`);
  return problems;
}

/** The bus's connection options from the settings (already checked by `natsSettingsProblems`). */
export const natsBusOptions = (
  servers: string,
  settings: NatsSettings & Pick<Settings, 'FERRY_SERVICES'>,
): NatsBusOptions => ({
  servers,
  name: natsConnectionName(settings.FERRY_SERVICES),
  auth: natsAuth(settings),
  tls: natsTls(settings),
});

function natsAuth(s: NatsSettings): NatsAuth | undefined {
  if (s.NATS_USER && s.NATS_PASSWORD) return { user: s.NATS_USER, password: s.NATS_PASSWORD };
  if (s.NATS_TOKEN) return { token: s.NATS_TOKEN };
  if (s.NATS_NKEY_SEED_FILE) return { nkeySeedFile: s.NATS_NKEY_SEED_FILE };
  if (s.NATS_CREDS_FILE) return { credsFile: s.NATS_CREDS_FILE };
  return undefined;
}

function natsTls(s: NatsSettings): NatsTls | undefined {
  if (!s.NATS_TLS_CA && !s.NATS_TLS_CERT) return undefined;
  return { caFile: s.NATS_TLS_CA, certFile: s.NATS_TLS_CERT, keyFile: s.NATS_TLS_KEY };
}
