import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface BasicAuth {
  user: string;
  password: string;
}

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

/** Health and preflights stay open: probes and browsers cannot send credentials there. */
const isExempt = (request: FastifyRequest) =>
  request.method === 'OPTIONS' || /\/v1\/(health|ready)$/.test(request.url.split('?')[0]!);

export const basicAuthHook = (auth: BasicAuth) => async (request: FastifyRequest, reply: FastifyReply) => {
  if (isExempt(request)) return;
  const user = basicAuthUser(request.headers.authorization, auth);
  if (user) {
    (request as FastifyRequest & { actor?: string }).actor = user;
    return;
  }
  await reply
    .code(401)
    .header('WWW-Authenticate', 'Basic realm="ferry"')
    .send({ message: 'Authentication required' });
};
