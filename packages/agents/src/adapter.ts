import type { AgentKind, EventType } from '@garrison/core';
import type { RunnerSpec } from '@garrison/core/runner-constants';

/** A file an adapter needs before its CLI starts (its config, the MCP registration). */
export interface AgentFile {
  path: string;
  content: string;
  mode?: number;
}

/** How the runner starts one turn of an agent inside the workspace container. */
export interface AgentLaunch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Written (directories created) before the process starts. */
  files?: AgentFile[];
}

/** One turn: the first prompt, or a follow-up that continues the session. */
export interface AgentTurn {
  prompt: string;
  /** Continue this session (the CLI's resume); a fresh session when absent. */
  resumeSessionId?: string;
  /** 1 for the first turn of the attempt. */
  number: number;
}

/** What the runner knows of the place the agent runs in. */
export interface LaunchBase {
  workspaceDir: string;
  homeDir: string;
  /** The container's infrastructure settings the agent needs too (see INHERITED_ENV). */
  inherited: Record<string, string>;
  /** The mission's state dir on the volume: adapters keep their config under `${missionDir}/agent`. */
  missionDir: string;
  /** How to start the workspace MCP server (stdio); register it under MCP_SERVER_NAME. */
  mcp: { command: string; args: string[]; env: Record<string, string> };
}

/** An event without its seq and ts: the runner's event log adds those. */
export interface ParsedEvent {
  type: EventType;
  payload: Record<string, unknown>;
}

/** Turns one CLI's stdout into our events, line by line. One parser per turn. */
export interface OutputParser {
  /** One complete stdout line without its newline; a line that is not the CLI's JSON is kept as output. */
  parseLine(line: string): ParsedEvent[];
  /** The agent's session id, once the CLI has said it. */
  readonly sessionId: string | undefined;
}

/**
 * One module per agent CLI. The runner owns processes, the event log, approvals and the
 * watchdog; an adapter only knows its CLI: how to launch a turn and how to read its output.
 */
export interface AgentAdapter {
  kind: AgentKind;
  buildLaunch(spec: RunnerSpec, turn: AgentTurn, base: LaunchBase): AgentLaunch;
  /** Absent for the shell: its stdout is plain process output. */
  createParser?(): OutputParser;
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
