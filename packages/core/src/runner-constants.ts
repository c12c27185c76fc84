/**
 * Constants and checks the in-container runner needs, kept free of zod: the runner starts once
 * per mission launch and follow, and a lean bundle starts about twice as fast.
 */
import type { AgentKind } from './agents.ts';

/** Paths inside the workspace container; the runner state lives on the volume to survive restarts. */
export const WORKSPACE_DIR = '/workspace';
export const RUNNER_STATE_DIR = '/workspace/.garrison/missions';
export const RUNNER_BUNDLE = '/opt/garrison/runner.cjs';

/** `runner launch --follow-only` exits with this when the mission's runner state is gone. */
export const RUNNER_EXIT_STATE_LOST = 4;

export function missionStateDir(missionId: string): string {
  return `${RUNNER_STATE_DIR}/${missionId}`;
}

/** Longer output lines are cut into marked pieces; one agent line must not blow up a batch. */
export const MAX_EVENT_TEXT_BYTES = 64 * 1024;

export const AGENT_KINDS: readonly AgentKind[] = ['claude-code', 'codex', 'opencode', 'pi', 'shell'];

/** The name agents know the workspace MCP server by (`workspace` is reserved by Claude Code). */
export const MCP_SERVER_NAME = 'garrison';
export const MCP_BUNDLE = '/opt/garrison/workspace-mcp.cjs';

export type RunnerPolicy = 'ask' | 'auto' | 'read-only';
const POLICIES: readonly RunnerPolicy[] = ['ask', 'auto', 'read-only'];

/** Where an agent reaches models: the gateway, with a token good for this mission only. */
export interface RunnerGateway {
  /** Base URL for Anthropic Messages clients (they append /v1/messages). */
  anthropicBaseUrl: string;
  /** Base URL for OpenAI clients (they append /responses or /chat/completions). */
  openaiBaseUrl: string;
  token: string;
}

/** What the worker hands the runner inside the container (on stdin of `runner launch`). */
export interface RunnerSpec {
  missionId: string;
  agent: AgentKind;
  prompt: string;
  /** First seq the runner writes; everything before it already lives in Postgres. */
  startSeq: number;
  /** 1 for the mission's first run; a follow-up to an ended mission starts the next. */
  attempt: number;
  /** The workspace template's variables, given to the agent on top of its own environment. */
  env?: Record<string, string>;
  model?: string;
  policy: RunnerPolicy;
  gateway?: RunnerGateway;
  /** The agent session to continue (a follow-up); the adapter passes its CLI's resume flag. */
  resumeSessionId?: string;
  /** The runner stops the agent past this (reason budget_exceeded); turns and cost are the gateway's. */
  maxRuntimeS?: number;
  /** Silence (no output, no pending question) this long is reported, and past failAfterS ends the mission. */
  watchdog: { warnAfterS: number; failAfterS: number };
  /** Where the agent works when not /workspace: the mission's own git worktree (issue 9). */
  cwd?: string;
}

export const DEFAULT_WATCHDOG = { warnAfterS: 120, failAfterS: 600 };

/** Mission ids become directory names: only the characters cuid() produces pass. */
const MISSION_ID = /^[a-z0-9]{8,40}$/;

export function isMissionId(value: unknown): value is string {
  return typeof value === 'string' && MISSION_ID.test(value);
}

function checkCwd(cwd: unknown): string {
  if (typeof cwd !== 'string' || !cwd.startsWith(`${WORKSPACE_DIR}/`) || cwd.split('/').includes('..')) throw new Error('runner spec: cwd must be inside /workspace');
  return cwd;
}

export function parseRunnerSpec(value: unknown): RunnerSpec {
  const spec = value as Partial<RunnerSpec> | null;
  if (!spec || typeof spec !== 'object') throw new Error('runner spec must be an object');
  if (!isMissionId(spec.missionId)) throw new Error('runner spec: bad missionId');
  if (!AGENT_KINDS.includes(spec.agent as AgentKind)) throw new Error('runner spec: unknown agent');
  if (typeof spec.prompt !== 'string') throw new Error('runner spec: prompt must be a string');
  if (!Number.isInteger(spec.startSeq) || (spec.startSeq as number) < 1) throw new Error('runner spec: bad startSeq');
  const attempt = spec.attempt ?? 1;
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error('runner spec: bad attempt');
  const env = spec.env ?? {};
  if (typeof env !== 'object' || Object.values(env).some((value) => typeof value !== 'string')) throw new Error('runner spec: env must map names to strings');
  const policy = spec.policy ?? 'auto';
  if (!POLICIES.includes(policy)) throw new Error('runner spec: unknown policy');
  const gateway = spec.gateway;
  if (gateway !== undefined && (typeof gateway.token !== 'string' || typeof gateway.anthropicBaseUrl !== 'string' || typeof gateway.openaiBaseUrl !== 'string')) {
    throw new Error('runner spec: gateway needs token and base URLs');
  }
  const watchdog = spec.watchdog ?? DEFAULT_WATCHDOG;
  if (!(watchdog.warnAfterS > 0 && watchdog.failAfterS >= watchdog.warnAfterS)) throw new Error('runner spec: bad watchdog');
  return {
    missionId: spec.missionId,
    agent: spec.agent as AgentKind,
    prompt: spec.prompt,
    startSeq: spec.startSeq as number,
    attempt,
    env,
    policy,
    watchdog,
    ...(typeof spec.model === 'string' ? { model: spec.model } : {}),
    ...(gateway ? { gateway } : {}),
    ...(typeof spec.resumeSessionId === 'string' ? { resumeSessionId: spec.resumeSessionId } : {}),
    ...(typeof spec.maxRuntimeS === 'number' ? { maxRuntimeS: spec.maxRuntimeS } : {}),
    ...(spec.cwd !== undefined ? { cwd: checkCwd(spec.cwd) } : {}),
  };
}
