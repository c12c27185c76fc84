import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '../src/env.ts';

const KEY = { GARRISON_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('EVENT_RETENTION_DAYS', () => {
  it('keeps events 30 days by default; 0 switches pruning off; an empty value (from compose) means the default', () => {
    expect(parseWorkerEnv(KEY).EVENT_RETENTION_DAYS).toBe(30);
    expect(parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: '0' }).EVENT_RETENTION_DAYS).toBe(0);
    expect(parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: '' }).EVENT_RETENTION_DAYS).toBe(30);
    expect(parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: '90' }).EVENT_RETENTION_DAYS).toBe(90);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: '-1' })).toThrow(/EVENT_RETENTION_DAYS/);
    expect(() => parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: '1.5' })).toThrow(/EVENT_RETENTION_DAYS/);
    expect(() => parseWorkerEnv({ ...KEY, EVENT_RETENTION_DAYS: 'forever' })).toThrow(/EVENT_RETENTION_DAYS/);
  });
});
