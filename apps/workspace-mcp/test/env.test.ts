import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';

describe('parseEnv', () => {
  it('defaults to /workspace, no mission and policy auto', () => {
    expect(parseEnv({})).toEqual({ root: '/workspace', policy: 'auto' });
  });

  it('reads the mission dir and policy of a mission registration', () => {
    const env = { GARRISON_WORKSPACE_DIR: '/w', GARRISON_MISSION_DIR: '/w/.garrison/missions/m1', GARRISON_POLICY: 'read-only', GARRISON_MISSION_ID: 'm1' };
    expect(parseEnv(env)).toEqual({ root: '/w', missionDir: '/w/.garrison/missions/m1', policy: 'read-only' });
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ GARRISON_WORKSPACE_DIR: '', GARRISON_MISSION_DIR: '', GARRISON_POLICY: '' })).toEqual({ root: '/workspace', policy: 'auto' });
  });

  it('refuses an unknown policy instead of falling back to auto', () => {
    expect(() => parseEnv({ GARRISON_POLICY: 'readonly' })).toThrow(/bad environment: GARRISON_POLICY/);
  });
});
