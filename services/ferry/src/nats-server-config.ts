import { ALL_EVENTS_SUBJECT } from '@ferry/contracts';
import { natsConnectionName } from './nats-connection.ts';
import { natsPermissions, type Permissions } from './nats-permissions.ts';
import { SERVICES } from './settings.ts';

/** Where the sample expects the server's certificate, key and CA (`createTestCertificates` uses the names). */
export const SAMPLE_TLS_DIR = '/etc/nats/tls';

/** For clients outside Ferry that read its events (docs/bus.md): `ferry.events.>` and nothing else. */
export const EVENTS_READER = 'ferry-events-reader';

/** Every user of the sample: one per service, then the events reader. */
export const sampleUsers = (): string[] => [
  ...SERVICES.map((service) => natsConnectionName([service])),
  EVENTS_READER,
];

/** The server's environment variable holding a user's password (`ferry-config` → FERRY_NATS_PASSWORD_CONFIG). */
export const passwordVariable = (user: string) =>
  `FERRY_NATS_PASSWORD_${user
    .replace(/^ferry-/, '')
    .replaceAll('-', '_')
    .toUpperCase()}`;

/**
 * deploy/nats/nats-server.conf: TLS, and one user per service allowed only the subjects it needs
 * (nats-permissions.ts). `tlsDir` lets a test point it at certificates it made.
 */
export function natsServerConfig({ tlsDir = SAMPLE_TLS_DIR } = {}): string {
  const permissions = natsPermissions();
  const users = [
    ...SERVICES.map((service) => user(natsConnectionName([service]), permissions[service])),
    '    # Outside readers of the events: they may read them, and publish nothing.',
    user(EVENTS_READER, { publish: [], subscribe: [ALL_EVENTS_SUBJECT] }),
  ];
  return `${HEADER}
port: 4222
# Monitoring (/connz lists each connection by its name: ferry-gateway, ferry-config, ...):
# http_port: 8222

tls {
  cert_file: "${tlsDir}/server.pem"
  key_file: "${tlsDir}/server-key.pem"
  # To require a client certificate too (NATS_TLS_CERT and NATS_TLS_KEY), signed by this CA:
  # ca_file: "${tlsDir}/ca.pem"
  # verify: true
}

authorization {
  users: [
${users.join('\n')}
  ]
}
`;
}

const HEADER = `# nats-server configuration for Ferry's distributed mode: TLS, and one user per service that may publish
# and subscribe only to the subjects that service needs (docs/bus.md, "Security").
#
# Generated from the operation table: do not edit. Regenerate with
#   bash scripts/ferry exec node scripts/nats-server-conf.ts
# (services/ferry/src/nats-server-config.spec.ts fails while this file differs from what it makes).
#
# Each service connects with NATS_URL=tls://<host>:4222, NATS_USER=ferry-<service>, NATS_PASSWORD and
# NATS_TLS_CA (the CA that signed server.pem), and runs alone in its process (FERRY_SERVICES=config, not
# config,jobs), since its connection is named after the services it runs. The passwords come from this
# server's environment, never from this file:
${sampleUsers()
  .map((name) => `#   ${passwordVariable(name)}`)
  .join('\n')}
`;

/**
 * One user's entry. An empty list is written as a denial of everything: nats-server reads an empty allow
 * list as no restriction at all.
 */
function user(name: string, { publish, subscribe }: Permissions): string {
  const list = (subjects: string[]) =>
    subjects.length === 0
      ? '{ deny: ">" }'
      : `[\n${subjects.map((subject) => `          "${subject}"`).join('\n')}\n        ]`;
  return `    {
      user: "${name}"
      password: $${passwordVariable(name)}
      permissions: {
        publish: ${list(publish)}
        subscribe: ${list(subscribe)}
      }
    }`;
}
