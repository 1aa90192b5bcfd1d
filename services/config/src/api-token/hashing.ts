import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const scryptAsync = (secret: BinaryLike, salt: BinaryLike) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, 32, (error, key) => (error ? reject(error) : resolve(key))),
  );

/**
 * What the config service keeps of a token: scrypt (node's defaults, N=2^14, r=8: tens of milliseconds and
 * 16 MiB per try) of the digest the gateway sends, with a salt of the token's own. The secret has 256
 * random bits, so even a fast hash could not be reversed; the slow one is there because the stored value
 * travels further than the token (into events, the audit trail, backups, every event subscriber), and it
 * keeps a leaked copy useless even if tokens were ever made shorter. Its cost is paid only when a gateway
 * has not verified the token recently (its cache), not on every request.
 */
export const hashApiTokenDigest = async (digest: string, salt = randomBytes(16).toString('base64url')) => ({
  salt,
  hash: (await scryptAsync(digest, salt)).toString('base64url'),
});

/** Constant-time: how far a guess matched tells nothing. */
export const digestMatches = async (digest: string, stored: { salt: string; hash: string }) => {
  const { hash } = await hashApiTokenDigest(digest, stored.salt);
  const a = Buffer.from(hash);
  const b = Buffer.from(stored.hash);
  return a.length === b.length && timingSafeEqual(a, b);
};
