import { readFileSync } from 'node:fs';
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  ErrorCode,
  Events,
  type NatsConnection,
  NatsError,
  nkeyAuthenticator,
} from 'nats';
import { notPermitted } from './nats-liveness.ts';
import type { BusErrorListener } from './wire.ts';

/** How a connection proves who it is to nats-server: one of these, or nothing. */
export type NatsAuth =
  | { user: string; password: string }
  | { token: string }
  /** A file holding an NKey seed (`SU…`); the server knows only its public key. */
  | { nkeySeedFile: string }
  /** A `.creds` file (user JWT and seed) for a server in operator mode. */
  | { credsFile: string };

/**
 * PEM files: a CA to trust a server certificate no system CA signed, and a client certificate and key for a
 * server that asks for one (`verify: true`). Any of them, or a `tls://` server URL, makes TLS required: the
 * connection fails rather than falling back to plain text.
 */
export interface NatsTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface NatsConnectionOptions {
  /** One URL, or several separated by commas (a cluster). `tls://` requires TLS. */
  servers: string;
  /**
   * The connection name nats-server shows in its monitoring, e.g. `ferry-config`. It also names the
   * connection's inboxes (`_INBOX.<name>.…`), so a server's permissions can keep each service's replies
   * from the others (docs/bus.md); it must therefore be one subject token.
   */
  name?: string;
  auth?: NatsAuth;
  tls?: NatsTls;
  /** How long one attempt to connect waits for the server (nats.js's default: 20 s). */
  connectTimeoutMs?: number;
}

/** Where replies to this connection's requests arrive: `_INBOX.<name>` (the nats.js default without a name). */
export function inboxPrefixOf(name: string | undefined): string {
  if (name === undefined) return '_INBOX';
  if (!/^[^\s.*>]+$/.test(name))
    throw new Error(`The NATS connection name "${name}" must be one subject token: it names the inboxes`);
  return `_INBOX.${name}`;
}

/**
 * Connects once, failing fast with one line that names the server and the reason (`Authorization
 * Violation`, a certificate the CA did not sign, ...) and never a credential; once connected, it
 * reconnects forever.
 */
export async function openNatsConnection(options: NatsConnectionOptions): Promise<NatsConnection> {
  const servers = options.servers.split(',').map((server) => server.trim());
  try {
    return await connect({
      servers,
      name: options.name,
      inboxPrefix: inboxPrefixOf(options.name),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...credentials(options.auth),
      ...tlsOptions(servers, options.tls),
    });
  } catch (error) {
    const where = withoutUserInfo(options.servers);
    throw new Error(`Cannot connect to NATS at ${where}: ${reasonOf(error, options)}`, { cause: error });
  }
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/**
 * Tells `onError` of each publish the server's permissions refused: an event or a reply that nobody will
 * receive fails nowhere else (a refused subscription or request fails where it was made).
 */
export async function reportPublishDenials(nc: NatsConnection, onError: BusErrorListener | undefined) {
  if (!onError) return;
  for await (const status of nc.status()) {
    const denied = status.type === Events.Error ? status.permissionContext : undefined;
    if (denied?.operation === 'publish')
      onError(notPermitted('publish to', denied.subject), { subject: denied.subject, headers: {} });
  }
}

function credentials(auth: NatsAuth | undefined): Partial<ConnectionOptions> {
  if (!auth) return {};
  if ('user' in auth) return { user: auth.user, pass: auth.password };
  if ('token' in auth) return { token: auth.token };
  // Read once at start, so a missing file fails the start instead of every reconnect.
  if ('nkeySeedFile' in auth) {
    const seed = readSecretFile('NKey seed file', auth.nkeySeedFile).toString('utf8').trim();
    return { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) };
  }
  return { authenticator: credsAuthenticator(readSecretFile('credentials file', auth.credsFile)) };
}

function tlsOptions(servers: string[], tls: NatsTls | undefined): Partial<ConnectionOptions> {
  const wanted = tls !== undefined || servers.some((server) => server.startsWith('tls://'));
  // An empty object still tells nats.js to require TLS; files it does not get are not read.
  return wanted ? { tls: { ...tls } } : {};
}

/** The file's bytes; an error names the file and why, never its content. */
function readSecretFile(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot read the ${what} ${file} (${code})`);
  }
}

/**
 * nats.js quotes the server's own errors (`'Authorization Violation'`), says only `tls` when the server has
 * none, and only `TIMEOUT` when a server that wants a client certificate drops the handshake.
 */
function reasonOf(error: unknown, options: NatsConnectionOptions): string {
  const code = error instanceof NatsError ? error.code : undefined;
  if (code === ErrorCode.ServerOptionNotAvailable && (error as Error).message === 'tls')
    return 'TLS is required but the server does not offer it';
  if (code === ErrorCode.Timeout) {
    const waited = `no answer within ${(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000} s`;
    const hint =
      options.tls && !options.tls.certFile ? ' (does the server require a client certificate?)' : '';
    return waited + hint;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return reason.replace(/^'(.*)'$/, '$1');
}

/** `nats://user:secret@host` must not end up in a log line. */
const withoutUserInfo = (servers: string) => servers.replace(/\/\/[^/@,]*@/g, '//');
