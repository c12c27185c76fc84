import { describe, expect, it } from 'vitest';
import { findAgentAdapter, pickInheritedEnv } from '../src/index.ts';

const SPEC = { missionId: 'm1', agent: 'shell' as const, prompt: 'echo hi', startSeq: 1, attempt: 1, policy: 'auto' as const, watchdog: { warnAfterS: 60, failAfterS: 120 } };
const BASE = { workspaceDir: '/workspace', homeDir: '/home/agent', inherited: {}, missionDir: '/m', mcp: { command: 'node', args: ['mcp.cjs'], env: {} } };

describe('agent environment', () => {
  it('inherits only infrastructure settings from the container', () => {
    expect(pickInheritedEnv({ NODE_EXTRA_CA_CERTS: '/ca.crt', https_proxy: 'http://proxy:3128', DATABASE_URL: 'postgres://secret', PATH: '/x' })).toEqual({
      NODE_EXTRA_CA_CERTS: '/ca.crt',
      https_proxy: 'http://proxy:3128',
    });
  });

  it('layers inherited, then template, then Garrison\'s own variables', () => {
    const launch = findAgentAdapter('shell')!.buildLaunch(
      { ...SPEC, env: { TZ: 'Europe/Paris', FOO: 'bar', GARRISON_MISSION_ID: 'forged' } },
      { number: 1, prompt: 'echo hi' },
      { ...BASE, inherited: { TZ: 'UTC', NODE_EXTRA_CA_CERTS: '/ca.crt' } },
    );
    expect(launch).toMatchObject({ command: '/bin/sh', args: ['-lc', 'echo hi'], cwd: '/workspace' });
    expect(launch.env).toMatchObject({ TZ: 'Europe/Paris', FOO: 'bar', NODE_EXTRA_CA_CERTS: '/ca.crt', GARRISON_MISSION_ID: 'm1', HOME: '/home/agent' });
  });
});
