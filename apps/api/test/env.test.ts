import { describe, expect, it } from 'vitest';
import { parseApiEnv } from '../src/env.ts';
import { parseWorkerEnv } from '../../worker/src/env.ts';

describe('api env', () => {
  it('has defaults that work on a development machine', () => {
    const env = parseApiEnv({});
    expect(env.API_PORT).toBe(3001);
    expect(env.DATABASE_URL).toMatch(/^postgresql:/);
    expect(env.REDIS_PREFIX).toBe('garrison');
  });

  it('treats empty values as unset, as .env files often leave them', () => {
    expect(parseApiEnv({ GARRISON_ADMIN_EMAIL: '', GARRISON_ADMIN_PASSWORD: '' }).GARRISON_ADMIN_EMAIL).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => parseApiEnv({ GARRISON_ADMIN_PASSWORD: 'short' })).toThrow(/GARRISON_ADMIN_PASSWORD: must be at least 8 characters/);
    expect(() => parseApiEnv({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });
});

describe('worker env', () => {
  it('rejects a prefix that could collide with other Redis keys', () => {
    expect(() => parseWorkerEnv({ REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX/);
  });

  it('reads limits as numbers', () => {
    const env = parseWorkerEnv({ WORKSPACE_MEMORY_MB: '512', WORKSPACE_CPUS: '0.5' });
    expect(env.WORKSPACE_MEMORY_MB).toBe(512);
    expect(env.WORKSPACE_CPUS).toBe(0.5);
  });
});
