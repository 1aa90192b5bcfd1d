import { randomBytes } from 'node:crypto';
import { nkeys } from 'nats';

/** What a test needs to run nats-server in operator mode and connect with a `.creds` file. */
export interface TestOperator {
  /** Lines for a nats-server configuration file: the operator and its one account, resolved from memory. */
  serverConfig: string;
  /** The content of a `.creds` file for a user of that account. */
  userCreds: string;
}

interface KeyPair {
  getPublicKey(): string;
  getSeed(): Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/**
 * An operator, an account it signed and a user the account signed, as the `nsc` tool would make them
 * (NATS JWT v2, ed25519 signatures by nkeys): `nsc` is not installed here, and nats-server itself judges
 * whether these are right.
 */
export function createTestOperator(): TestOperator {
  const operator: KeyPair = nkeys.createOperator();
  const account: KeyPair = nkeys.createAccount();
  const user: KeyPair = nkeys.createUser();
  const operatorJwt = signedJwt(operator, operator, { type: 'operator', version: 2 });
  const accountJwt = signedJwt(operator, account, {
    type: 'account',
    version: 2,
    limits: {
      subs: -1,
      data: -1,
      payload: -1,
      imports: -1,
      exports: -1,
      wildcards: true,
      conn: -1,
      leaf: -1,
    },
    default_permissions: { pub: {}, sub: {} },
  });
  const userJwt = signedJwt(account, user, {
    type: 'user',
    version: 2,
    pub: {},
    sub: {},
    subs: -1,
    data: -1,
    payload: -1,
  });
  return {
    serverConfig: [
      `operator: ${operatorJwt}`,
      'resolver: MEMORY',
      `resolver_preload: { ${account.getPublicKey()}: ${accountJwt} }`,
    ].join('\n'),
    userCreds: [
      '-----BEGIN NATS USER JWT-----',
      userJwt,
      '------END NATS USER JWT------',
      '',
      '-----BEGIN USER NKEY SEED-----',
      new TextDecoder().decode(user.getSeed()),
      '------END USER NKEY SEED------',
      '',
    ].join('\n'),
  };
}

function signedJwt(issuer: KeyPair, subject: KeyPair, nats: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const claims = base64url(
    JSON.stringify({
      jti: randomBytes(16).toString('hex').toUpperCase(),
      iat: Math.floor(Date.now() / 1000),
      iss: issuer.getPublicKey(),
      name: subject.getPublicKey().slice(0, 8),
      sub: subject.getPublicKey(),
      nats,
    }),
  );
  const signature = issuer.sign(new TextEncoder().encode(`${header}.${claims}`));
  return `${header}.${claims}.${Buffer.from(signature).toString('base64url')}`;
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');
