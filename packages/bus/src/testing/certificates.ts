import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a throwaway CA, a server certificate for 127.0.0.1 and a client certificate it signed. */
export interface TestCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/**
 * Makes them with `openssl` in `dir`, valid for a day: tests of TLS never depend on certificates checked
 * into the repository, which would expire or leak into real deployments. The file names are those the
 * sample nats-server configuration expects (`ca.pem`, `server.pem`, `server-key.pem`).
 */
export function createTestCertificates(dir: string): TestCertificates {
  const at = (name: string) => join(dir, name);
  const ca = at('ca.pem');
  openssl(
    'req',
    '-x509',
    ...newKey(at('ca-key.pem')),
    '-out',
    ca,
    '-days',
    '1',
    '-subj',
    '/CN=ferry-test-ca',
  );
  const sign = (name: string, subject: string, extensions: string) => {
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('req', ...newKey(at(`${name}-key.pem`)), '-out', at(`${name}.csr`), '-subj', subject);
    openssl(
      ...['x509', '-req', '-in', at(`${name}.csr`), '-days', '1', '-out', at(`${name}.pem`)],
      ...['-CA', ca, '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-extfile', at(`${name}.ext`)],
    );
    return { cert: at(`${name}.pem`), key: at(`${name}-key.pem`) };
  };
  const server = sign(
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  const client = sign('client', '/CN=ferry-test-client', 'extendedKeyUsage=clientAuth\n');
  return {
    ca,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
  };
}

const newKey = (keyFile: string) => [
  ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile],
];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
