import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

/** Algorithm.Argon2id: a const enum, which isolatedModules cannot import as a value. */
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id at RFC 9106's second recommendation (64 MiB, 3 passes), stronger than OWASP's floor
 * (19 MiB, 2 passes): a verify measured about 53 ms p50 on the 2-core dev machine, well under the
 * 150 ms a sign-in may spend. The encoded hash carries these, so raising them later only means
 * changing this object: older hashes still verify and are re-hashed on the next sign-in.
 */
export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;
const ARGON2_PREFIX = `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`;

export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_PARAMS);
}

/** Checks argon2id hashes and the scrypt ones written before argon2id; anything else never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) return argon2Verify(stored, password).catch(() => false);
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT_MAXMEM });
  return timingSafeEqual(expected, actual);
}

/** A verified password whose hash is not current argon2id gets a new hash (scrypt users migrate by signing in). */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(ARGON2_PREFIX);
}

/** Session cookies and API tokens are random; only their sha256 is stored, so a DB leak grants nothing. */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
