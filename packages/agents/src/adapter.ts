import type { AgentKind } from '@garrison/core';
import type { RunnerSpec } from '@garrison/core/runner-constants';

/** How the runner starts an agent process inside the workspace container. */
export interface AgentLaunch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * One module per agent CLI. The runner owns processes and the event log; an adapter only knows
 * its CLI: how to launch it and (for structured CLIs, in later adapters) how to read its output.
 */
export interface AgentAdapter {
  kind: AgentKind;
  buildLaunch(spec: RunnerSpec, base: { workspaceDir: string; homeDir: string }): AgentLaunch;
}

/** The environment every agent starts from: nothing of the runner's own env leaks through. */
export function baseAgentEnv(spec: RunnerSpec, homeDir: string): Record<string, string> {
  return {
    // The template's variables first: Garrison's own below always win.
    ...spec.env,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: homeDir,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    GARRISON_MISSION_ID: spec.missionId,
  };
}
