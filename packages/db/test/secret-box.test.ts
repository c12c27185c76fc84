import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, isSecretKey, keyVersionOf, parseSecretKey, type SealedSecret } from '../src/secret-box.ts';

const newKey = (): string => randomBytes(32).toString('base64');
const CONTEXT = 'provider-credential:team-1:anthropic';

function flipBit(bytes: Uint8Array, at = 0): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[at] = copy[at]! ^ 1;
  return copy;
}

describe('secret box', () => {
  it('round-trips a secret and never stores it in the clear', () => {
    const box = createSecretBox({ key: newKey() });
    const sealed = box.seal('sk-ant-api03-very-secret', CONTEXT);
    expect(Buffer.from(sealed.ciphertext).toString('utf8')).not.toContain('very-secret');
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.keyVersion).toBe(box.keyVersion);
    expect(box.open(sealed, CONTEXT)).toBe('sk-ant-api03-very-secret');
    // A fresh IV each time: equal secrets do not give equal rows.
    expect(Buffer.from(box.seal('sk-ant-api03-very-secret', CONTEXT).ciphertext).equals(Buffer.from(sealed.ciphertext))).toBe(false);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const box = createSecretBox({ key: newKey() });
    const sealed = box.seal('sk-proj-abcdefgh', CONTEXT);
    const tampered: SealedSecret[] = [
      { ...sealed, ciphertext: flipBit(sealed.ciphertext) },
      { ...sealed, authTag: flipBit(sealed.authTag, 15) },
      { ...sealed, iv: flipBit(sealed.iv, 3) },
    ];
    for (const row of tampered) expect(() => box.open(row, CONTEXT)).toThrow(/could not be decrypted/);
  });

  it('does not open a row under another team or provider', () => {
    const box = createSecretBox({ key: newKey() });
    const sealed = box.seal('sk-proj-abcdefgh', CONTEXT);
    expect(() => box.open(sealed, 'provider-credential:team-2:anthropic')).toThrow(/could not be decrypted/);
  });

  it('refuses a row sealed with a key it does not have', () => {
    const sealed = createSecretBox({ key: newKey() }).seal('sk-proj-abcdefgh', CONTEXT);
    expect(() => createSecretBox({ key: newKey() }).open(sealed, CONTEXT)).toThrow(/GARRISON_SECRET_KEY_PREVIOUS/);
    // Even a row that claims the right version but was sealed with another key fails closed.
    const other = createSecretBox({ key: newKey() });
    expect(() => other.open({ ...sealed, keyVersion: other.keyVersion }, CONTEXT)).toThrow(/could not be decrypted/);
  });

  it('opens rows of the previous key and seals new ones with the current key', () => {
    const oldKey = newKey();
    const sealedBefore = createSecretBox({ key: oldKey }).seal('sk-old-secret-1', CONTEXT);
    const rotated = createSecretBox({ key: newKey(), previousKey: oldKey });
    expect(rotated.open(sealedBefore, CONTEXT)).toBe('sk-old-secret-1');
    const resealed = rotated.seal('sk-old-secret-1', CONTEXT);
    expect(resealed.keyVersion).toBe(rotated.keyVersion);
    expect(resealed.keyVersion).not.toBe(sealedBefore.keyVersion);
  });

  it('accepts 32-byte keys as base64, base64url or hex and refuses anything else', () => {
    const raw = randomBytes(32);
    for (const text of [raw.toString('base64'), raw.toString('base64url'), raw.toString('hex')]) {
      expect(isSecretKey(text)).toBe(true);
      expect(parseSecretKey(text).equals(raw)).toBe(true);
    }
    expect(keyVersionOf(raw)).toBe(keyVersionOf(parseSecretKey(raw.toString('hex'))));
    for (const bad of ['', 'change-me', randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), randomBytes(48).toString('base64')]) {
      expect(isSecretKey(bad)).toBe(false);
    }
    expect(() => createSecretBox({ key: undefined })).toThrow(/GARRISON_SECRET_KEY is not set.*openssl rand -base64 32/);
    expect(() => createSecretBox({ key: 'not-a-key' })).toThrow(/GARRISON_SECRET_KEY must be 32 random bytes/);
    expect(() => createSecretBox({ key: newKey(), previousKey: 'short' })).toThrow(/GARRISON_SECRET_KEY_PREVIOUS/);
  });
});
