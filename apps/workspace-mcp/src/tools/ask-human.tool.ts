import { z } from 'zod';
import { requestInput } from '../mission-channel-client.ts';
import { ok, type ToolResult } from '../tool-result.ts';
import { requireMissionDir, type ToolContext } from './tool-context.ts';

export const askHumanInput = {
  question: z.string().min(1).max(4000).describe('The question, complete enough to answer without opening the workspace'),
  options: z.array(z.string().min(1).max(500)).max(10).optional().describe('Suggested answers when the choice is among a few; the person may still write anything'),
};

/** Blocks until the person answers (the mission shows waiting_input meanwhile); returns their text as is. */
export async function askHuman(context: ToolContext, input: { question: string; options?: string[] }, signal?: AbortSignal): Promise<ToolResult> {
  const missionDir = requireMissionDir(context, 'ask_human');
  const answer = await requestInput(missionDir, { question: input.question, ...(input.options ? { options: input.options } : {}) }, signal);
  return ok(answer.text);
}
