import type { AgentAdapter } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';

/**
 * The plain shell agent: the prompt is a shell script run by a login shell in the workspace. It
 * calls no model, so it holds no gateway token, and it has no session to resume.
 */
export const shellAdapter: AgentAdapter = {
  kind: 'shell',
  buildLaunch(spec, turn, base) {
    return {
      command: '/bin/sh',
      args: ['-lc', turn.prompt],
      cwd: base.workspaceDir,
      env: baseAgentEnv(spec, base),
    };
  },
};
