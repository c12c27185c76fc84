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

/** What the worker hands the runner inside the container (on stdin of `runner launch`). */
export interface RunnerSpec {
  missionId: string;
  agent: AgentKind;
  prompt: string;
  /** First seq the runner writes; everything before it already lives in Postgres. */
  startSeq: number;
  /** The workspace template's variables, given to the agent on top of its own environment. */
  env?: Record<string, string>;
}

/** Mission ids become directory names: only the characters cuid() produces pass. */
const MISSION_ID = /^[a-z0-9]{8,40}$/;

export function parseRunnerSpec(value: unknown): RunnerSpec {
  const spec = value as Partial<RunnerSpec> | null;
  if (!spec || typeof spec !== 'object') throw new Error('runner spec must be an object');
  if (typeof spec.missionId !== 'string' || !MISSION_ID.test(spec.missionId)) throw new Error('runner spec: bad missionId');
  if (!AGENT_KINDS.includes(spec.agent as AgentKind)) throw new Error('runner spec: unknown agent');
  if (typeof spec.prompt !== 'string') throw new Error('runner spec: prompt must be a string');
  if (!Number.isInteger(spec.startSeq) || (spec.startSeq as number) < 1) throw new Error('runner spec: bad startSeq');
  const env = spec.env ?? {};
  if (typeof env !== 'object' || Object.values(env).some((value) => typeof value !== 'string')) throw new Error('runner spec: env must map names to strings');
  return { missionId: spec.missionId, agent: spec.agent as AgentKind, prompt: spec.prompt, startSeq: spec.startSeq as number, env };
}
