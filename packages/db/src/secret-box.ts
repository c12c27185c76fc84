import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the secrets Garrison must give back (provider API keys), with the key from
 * GARRISON_SECRET_KEY. GCM authenticates: a flipped bit, a wrong key or a row copied to another
 * team (the context is bound as additional data) fails to open instead of yielding garbage.
 *
 * Rotation: each row records which key sealed it (`keyVersion`, a 31-bit fingerprint of the key,
 * so no counter has to be kept in step across processes). With the new key in GARRISON_SECRET_KEY
 * and the old one in GARRISON_SECRET_KEY_PREVIOUS, rows of either key open, and
 * `npm run credentials:rotate` reseals every row with the new key (INSTALL.md, "Secret key").
 */
export interface SealedSecret {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  keyVersion: number;
}

/** A stored row, as Prisma returns its Bytes columns. */
export type StoredSecret = { [field in keyof SealedSecret]: field extends 'keyVersion' ? number : Uint8Array };

export interface SecretBox {
  /** Fingerprint of GARRISON_SECRET_KEY: what new rows record as their keyVersion. */
  readonly keyVersion: number;
  seal(plaintext: string, context: string): SealedSecret;
  open(sealed: StoredSecret, context: string): string;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

export const SECRET_KEY_HELP = 'must be 32 random bytes written as base64 (44 characters) or as 64 hex characters; generate one with `openssl rand -base64 32`';

/** Decodes a key written as 64 hex characters or base64(url) of exactly 32 bytes; null otherwise. */
function decodeKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : null;
}

export function isSecretKey(value: string): boolean {
  return decodeKey(value) !== null;
}

export function parseSecretKey(value: string | undefined, variable = 'GARRISON_SECRET_KEY'): Buffer {
  const key = value === undefined ? null : decodeKey(value);
  // The value itself is never echoed: it may be a real key with a typo.
  if (!key) throw new SecretBoxError(value ? `${variable} ${SECRET_KEY_HELP}` : `${variable} is not set; it ${SECRET_KEY_HELP}`);
  return key;
}

/** Positive and within a Postgres INTEGER; a hash, so it says nothing usable about the key. */
export function keyVersionOf(key: Buffer): number {
  return createHash('sha256').update('garrison-secret-key-version\0').update(key).digest().readUInt32BE(0) & 0x7fffffff;
}

export function createSecretBox(options: { key: string | undefined; previousKey?: string | undefined }): SecretBox {
  const current = parseSecretKey(options.key);
  const keys = new Map<number, Buffer>([[keyVersionOf(current), current]]);
  if (options.previousKey) {
    const previous = parseSecretKey(options.previousKey, 'GARRISON_SECRET_KEY_PREVIOUS');
    if (!keys.has(keyVersionOf(previous))) keys.set(keyVersionOf(previous), previous);
  }
  const keyVersion = keyVersionOf(current);

  return {
    keyVersion,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      // Copies into plain ArrayBuffers, the type Prisma's Bytes columns take.
      return { ciphertext: new Uint8Array(ciphertext), iv: new Uint8Array(iv), authTag: new Uint8Array(cipher.getAuthTag()), keyVersion };
    },
    open(sealed, context) {
      const key = keys.get(sealed.keyVersion);
      if (!key) {
        throw new SecretBoxError(
          `This secret was sealed with a key this process does not have (keyVersion ${sealed.keyVersion}). Set GARRISON_SECRET_KEY_PREVIOUS to the key used before the last change, or enter the credential again.`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(sealed.authTag);
        return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('This secret could not be decrypted: it was altered, or belongs to another team or provider.');
      }
    },
  };
}
