import type { AgentAdapter } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';

/** The plain shell agent: the prompt is a shell script run by a login shell in the workspace. */
export const shellAdapter: AgentAdapter = {
  kind: 'shell',
  buildLaunch(spec, base) {
    return {
      command: '/bin/sh',
      args: ['-lc', spec.prompt],
      cwd: base.workspaceDir,
      env: baseAgentEnv(spec, base),
    };
  },
};
