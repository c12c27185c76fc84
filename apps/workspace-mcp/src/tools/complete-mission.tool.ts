import { z } from 'zod';
import { writeOutcome } from '../mission-channel-client.ts';
import { ok, type ToolResult } from '../tool-result.ts';
import { requireMissionDir, type ToolContext } from './tool-context.ts';

export const completeMissionInput = {
  status: z.enum(['completed', 'blocked', 'not_feasible']).describe('completed: done and checked; blocked: cannot continue without something outside your reach; not_feasible: cannot be done as asked'),
  summary: z.string().min(1).max(8000).describe('What you did, what is left and why; what the person reads first'),
};

/** Records the verdict; the runner ends the mission with it when the agent exits, so the last call wins. */
export async function completeMission(
  context: ToolContext,
  input: { status: 'completed' | 'blocked' | 'not_feasible'; summary: string },
): Promise<ToolResult> {
  const missionDir = requireMissionDir(context, 'complete_mission');
  await writeOutcome(missionDir, { status: input.status, summary: input.summary });
  return ok(`Recorded: the mission ends as ${input.status}. Stop now: do not call more tools; end your turn with a short final message.`);
}
