import type { AgentAdapter } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';

/** The plain shell agent: the prompt is a shell script run by a login shell in the workspace. */
export const shellAdapter: AgentAdapter = {
  kind: 'shell',
  buildLaunch(spec, { workspaceDir, homeDir }) {
    return {
      command: '/bin/sh',
      args: ['-lc', spec.prompt],
      cwd: workspaceDir,
      env: baseAgentEnv(spec, homeDir),
    };
  },
};
