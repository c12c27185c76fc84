import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, lockoutSeconds } from '../src/auth/attempt-limits.ts';
import { redactPath } from '../src/http/request-log.ts';

describe('sign-in lockout backoff', () => {
  it('is free for the first failures, then doubles from 1 minute up to 15', () => {
    expect([1, 2, 3, 4].map(lockoutSeconds)).toEqual([0, 0, 0, 0]);
    expect(FREE_FAILURES).toBe(5);
    expect([5, 6, 7, 8, 9, 10, 50].map(lockoutSeconds)).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });
});

describe('request log paths', () => {
  it('redacts invite tokens anywhere in the path and drops the query', () => {
    expect(redactPath('/api/v1/invites/gi_abcDEF-123_xyz')).toBe('/api/v1/invites/[redacted]');
    expect(redactPath('/api/v1/invites/gi_abc/accept?x=gi_abc')).toBe('/api/v1/invites/[redacted]/accept');
    expect(redactPath('/api/v1/invites/inv_123')).toBe('/api/v1/invites/inv_123');
    expect(redactPath('/api/v1/workspaces/w1/files?path=secret.txt')).toBe('/api/v1/workspaces/w1/files');
  });
});
