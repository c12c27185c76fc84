import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseApiEnv } from '../src/env.ts';
import { csrfSecretFrom } from '../src/http/csrf.ts';
import { parseWorkerEnv } from '../../worker/src/env.ts';

const secretKey = randomBytes(32).toString('base64');

describe('api env', () => {
  it('has defaults that work on a development machine', () => {
    const env = parseApiEnv({ GARRISON_SECRET_KEY: secretKey });
    expect(env.API_PORT).toBe(3001);
    expect(env.DATABASE_URL).toMatch(/^postgresql:/);
    expect(env.REDIS_PREFIX).toBe('garrison');
  });

  it('treats empty values as unset, as .env files often leave them', () => {
    expect(parseApiEnv({ GARRISON_SECRET_KEY: secretKey, GARRISON_ADMIN_EMAIL: '', GARRISON_ADMIN_PASSWORD: '' }).GARRISON_ADMIN_EMAIL).toBeUndefined();
  });

  it('needs a 32-byte secret key and never echoes a wrong one', () => {
    expect(() => parseApiEnv({})).toThrow(/GARRISON_SECRET_KEY: is required: it must be 32 random bytes/);
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: 'hunter2-not-a-key' })).toThrow(/GARRISON_SECRET_KEY: must be 32 random bytes/);
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: 'hunter2-not-a-key' })).not.toThrow(/hunter2/);
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: secretKey, GARRISON_SECRET_KEY_PREVIOUS: 'abc' })).toThrow(/GARRISON_SECRET_KEY_PREVIOUS/);
    expect(parseApiEnv({ GARRISON_SECRET_KEY: randomBytes(32).toString('hex') }).GARRISON_SECRET_KEY).toHaveLength(64);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: secretKey, GARRISON_ADMIN_PASSWORD: 'short' })).toThrow(/GARRISON_ADMIN_PASSWORD: must be at least 8 characters/);
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: secretKey, API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });

  it('leaves /metrics open without METRICS_TOKEN and refuses a short one', () => {
    expect(parseApiEnv({ GARRISON_SECRET_KEY: secretKey, METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: secretKey, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });

  it('derives the CSRF secret from the secret key unless CSRF_SECRET is set, and refuses a short one', () => {
    const derived = csrfSecretFrom(parseApiEnv({ GARRISON_SECRET_KEY: secretKey, CSRF_SECRET: '' }));
    expect(derived).toMatch(/^[0-9a-f]{64}$/);
    expect(derived).not.toContain(secretKey);
    expect(csrfSecretFrom(parseApiEnv({ GARRISON_SECRET_KEY: randomBytes(32).toString('base64') }))).not.toBe(derived);
    expect(csrfSecretFrom(parseApiEnv({ GARRISON_SECRET_KEY: secretKey, CSRF_SECRET: 'x'.repeat(32) }))).toBe('x'.repeat(32));
    expect(() => parseApiEnv({ GARRISON_SECRET_KEY: secretKey, CSRF_SECRET: 'short' })).toThrow(/CSRF_SECRET: must be at least 32 characters/);
  });
});

describe('worker env', () => {
  it('rejects a prefix that could collide with other Redis keys', () => {
    expect(() => parseWorkerEnv({ GARRISON_SECRET_KEY: secretKey, REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX/);
  });

  it('reads limits as numbers', () => {
    const env = parseWorkerEnv({ GARRISON_SECRET_KEY: secretKey, WORKSPACE_MEMORY_MB: '512', WORKSPACE_CPUS: '0.5' });
    expect(env.WORKSPACE_MEMORY_MB).toBe(512);
    expect(env.WORKSPACE_CPUS).toBe(0.5);
  });
});
