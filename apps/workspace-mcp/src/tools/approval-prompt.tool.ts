import { z } from 'zod';
import { summarizeToolUse } from '../approval-summary.ts';
import { requestApproval } from '../mission-channel-client.ts';
import { ToolError, ok, type ToolResult } from '../tool-result.ts';
import type { ToolContext } from './tool-context.ts';

/** Claude Code's --permission-prompt-tool call: the tool it wants to run, its input, the tool use id. */
export const approvalPromptInput = {
  tool_name: z.string().min(1).describe('The tool Claude Code wants to run'),
  input: z.record(z.string(), z.unknown()).describe('Its input'),
  tool_use_id: z.string().optional().describe('The tool use this decision is for'),
};

type Decision = { behavior: 'allow'; updatedInput: Record<string, unknown> } | { behavior: 'deny'; message: string };

/**
 * Answers Claude Code's permission question with the JSON it expects as text. Every failure of
 * the channel becomes a deny with the reason (never an error result), so the CLI always gets a
 * decision it can parse and nothing runs unapproved.
 */
export async function approvalPrompt(
  context: ToolContext,
  input: { tool_name: string; input: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<ToolResult> {
  const policy = context.policy ?? 'auto';
  if (policy === 'auto') return decide({ behavior: 'allow', updatedInput: input.input });
  if (policy === 'read-only') {
    return decide({ behavior: 'deny', message: `This mission is read-only: ${input.tool_name} is not allowed. Use tools that only read.` });
  }
  if (!context.missionDir) return decide({ behavior: 'deny', message: `${input.tool_name} needs a person's approval, but this session has no mission to ask through.` });
  try {
    const summary = summarizeToolUse(input.tool_name, input.input);
    const answer = await requestApproval(context.missionDir, { tool: input.tool_name, input: input.input, summary }, signal);
    if (answer.decision === 'allow') return decide({ behavior: 'allow', updatedInput: input.input });
    return decide({ behavior: 'deny', message: answer.message?.trim() || `denied by ${answer.by}` });
  } catch (error) {
    if (error instanceof ToolError) return decide({ behavior: 'deny', message: `${error.message} ${error.hint}` });
    throw error;
  }
}

function decide(decision: Decision): ToolResult {
  return ok(JSON.stringify(decision));
}
