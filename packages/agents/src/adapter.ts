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
  buildLaunch(spec: RunnerSpec, base: LaunchBase): AgentLaunch;
}

export interface LaunchBase {
  workspaceDir: string;
  homeDir: string;
  /** The container's infrastructure settings the agent needs too (see INHERITED_ENV). */
  inherited: Record<string, string>;
}

/**
 * Variables passed from the container to agents: how to trust TLS and reach the network as the
 * image was built to (a CA bundle for an intercepting proxy, a proxy itself), and the time zone.
 * Everything else of the runner's environment stays behind.
 */
export const INHERITED_ENV = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'TZ'];

export function pickInheritedEnv(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(INHERITED_ENV.flatMap((name) => (source[name] ? [[name, source[name]!]] : [])));
}

/** The environment every agent starts from: nothing of the runner's own env leaks through. */
export function baseAgentEnv(spec: RunnerSpec, base: LaunchBase): Record<string, string> {
  const homeDir = base.homeDir;
  return {
    ...base.inherited,
    // The template's variables next: Garrison's own below always win.
    ...spec.env,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: homeDir,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    GARRISON_MISSION_ID: spec.missionId,
  };
}
