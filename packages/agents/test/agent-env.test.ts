import { describe, expect, it } from 'vitest';
import { findAgentAdapter, pickInheritedEnv } from '../src/index.ts';

describe('agent environment', () => {
  it('inherits only infrastructure settings from the container', () => {
    expect(pickInheritedEnv({ NODE_EXTRA_CA_CERTS: '/ca.crt', https_proxy: 'http://proxy:3128', DATABASE_URL: 'postgres://secret', PATH: '/x' })).toEqual({
      NODE_EXTRA_CA_CERTS: '/ca.crt',
      https_proxy: 'http://proxy:3128',
    });
  });

  it('layers inherited, then template, then Garrison\'s own variables', () => {
    const launch = findAgentAdapter('shell')!.buildLaunch(
      { missionId: 'm1', agent: 'shell', prompt: 'echo hi', startSeq: 1, env: { TZ: 'Europe/Paris', FOO: 'bar', GARRISON_MISSION_ID: 'forged' } },
      { workspaceDir: '/workspace', homeDir: '/home/agent', inherited: { TZ: 'UTC', NODE_EXTRA_CA_CERTS: '/ca.crt' } },
    );
    expect(launch).toMatchObject({ command: '/bin/sh', args: ['-lc', 'echo hi'], cwd: '/workspace' });
    expect(launch.env).toMatchObject({ TZ: 'Europe/Paris', FOO: 'bar', NODE_EXTRA_CA_CERTS: '/ca.crt', GARRISON_MISSION_ID: 'm1', HOME: '/home/agent' });
  });
});
