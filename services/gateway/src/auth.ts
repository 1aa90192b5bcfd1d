import { timingSafeEqual } from 'node:crypto';
import { principal, type ApiTokenRole } from '@ferry/contracts';

export interface BasicAuth {
  user: string;
  password: string;
}

/** Who a request acts as: the actor its events record, and what it may do. */
export interface Principal {
  actor: string;
  role: ApiTokenRole;
}

/** What an Authorization header proved: a principal, nothing (there was none), or a failed credential. */
export type Authentication = Principal | 'missing' | 'failed';

/** Resolves a bearer token to its principal, or null when it is wrong, unknown, revoked or malformed. */
export type TokenVerifier = (token: string) => Promise<Principal | null>;

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The user a request authenticates as, or null. Constant-time compare so timing tells nothing. */
export const basicAuthUser = (header: string | undefined, auth: BasicAuth): string | null => {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  return same(user, auth.user) && same(decoded.slice(colon + 1), auth.password) ? user : null;
};

/** Basic (the configured user, an admin) or Bearer (an API token); any other scheme fails. */
export const authenticate = async (
  header: string | undefined,
  auth: BasicAuth,
  verifyToken: TokenVerifier,
): Promise<Authentication> => {
  if (!header) return 'missing';
  if (header.startsWith('Basic ')) {
    const user = basicAuthUser(header, auth);
    return user === null ? 'failed' : { actor: principal.user(user), role: 'admin' };
  }
  if (header.startsWith('Bearer ')) return (await verifyToken(header.slice(7).trim())) ?? 'failed';
  return 'failed';
};
