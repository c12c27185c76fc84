import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDeployKey } from '../src/repositories/deploy-key.ts';

describe('generateDeployKey', () => {
  it('writes a private key ssh-keygen reads, whose public half is the one shown', () => {
    const key = generateDeployKey('garrison-test');
    expect(key.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ garrison-test$/);
    const dir = mkdtempSync(join(tmpdir(), 'garrison-key-test-'));
    try {
      const file = join(dir, 'id');
      writeFileSync(file, key.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
      expect(derived.split(' ').slice(0, 2)).toEqual(key.publicKey.split(' ').slice(0, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(generateDeployKey('x').publicKey).not.toBe(key.publicKey);
  });
});
