import { MCP_SERVER_NAME } from '@garrison/core/runner-constants';
import { summarizeToolUse } from './approval-summary.ts';
import { requestApproval } from './mission-channel-client.ts';
import { asToolResult, failure, type ToolResult } from './tool-result.ts';
import type { ToolContext } from './tools/tool-context.ts';

export const READ_ONLY_HINT = 'this mission is read-only; use read_file, grep, glob, list_dir, git_status, git_diff';
const NO_MISSION_HINT = 'Only the read tools work here: read_file, grep, glob, list_dir, git_status, git_diff.';

/**
 * The one place the mission's policy applies to our mutating tools (bash, write_file,
 * edit_file), wrapped around them at registration. Every agent CLI reaches them, so this holds
 * for agents that have no permission hook of their own. Under ask, a person sees the call before
 * it runs; a denial comes back as an error result carrying their words so the agent can adapt.
 */
export function gated<Input>(
  context: ToolContext,
  tool: string,
  body: (input: Input) => Promise<ToolResult>,
): (input: Input, extra: { signal: AbortSignal }) => Promise<ToolResult> {
  return (input, extra) =>
    asToolResult(async () => {
      const policy = context.policy ?? 'auto';
      if (policy === 'read-only') return failure(`${tool} is not allowed: this mission is read-only.`, READ_ONLY_HINT);
      if (policy === 'ask') {
        // Fail closed: ask with nobody to ask must not quietly become auto.
        const missionDir = context.missionDir;
        if (!missionDir) return failure(`${tool} needs a person's approval, but this session has no mission to ask through.`, NO_MISSION_HINT);
        const qualified = `mcp__${MCP_SERVER_NAME}__${tool}`;
        const summary = summarizeToolUse(qualified, input);
        const answer = await requestApproval(missionDir, { tool: qualified, input, summary }, extra.signal);
        if (answer.decision === 'deny') {
          return failure(
            `${answer.by} denied ${tool} (${summary}): ${answer.message?.trim() || 'no reason given'}`,
            'Do not repeat the same call; change your approach to what the person said, or ask_human if it is unclear.',
          );
        }
      }
      return body(input);
    });
}
