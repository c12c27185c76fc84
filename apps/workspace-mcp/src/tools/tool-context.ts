import type { RunnerPolicy } from '@garrison/core/runner-constants';
import { ToolError } from '../tool-result.ts';

/** What every tool needs to know: the workspace root all paths are confined to, and the mission. */
export interface ToolContext {
  root: string;
  /** The mission's state dir; unset when the server runs outside a mission (the worker, tests). */
  missionDir?: string;
  /** How mutating tools are gated; auto when unset. */
  policy?: RunnerPolicy;
}

/** The mission's state dir, or a tool error telling the agent no person is on the other end. */
export function requireMissionDir(context: ToolContext, tool: string): string {
  if (context.missionDir) return context.missionDir;
  throw new ToolError(
    `${tool} only works inside a Garrison mission, and this session is not one.`,
    'Nobody can answer here: decide yourself, state your assumptions in your reply, and finish normally.',
  );
}
