import { z } from 'zod';
import { findRepo, runGit } from '../git.ts';
import { capText } from '../output-cap.ts';
import { ToolError, failure, ok, type ToolResult } from '../tool-result.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;

export const gitDiffInput = {
  path: z.string().optional().describe('Limit the diff to this file or folder (default: the whole repository at the workspace root)'),
  staged: z.boolean().optional().describe('Diff the index (staged changes) instead of the work tree'),
  ref: z.string().min(1).optional().describe('Compare against this commit, branch or tag instead of the index'),
};

/** `git diff --stat` then the unified diff, so the summary survives when the patch is capped. */
export async function gitDiff(context: ToolContext, input: { path?: string; staged?: boolean; ref?: string }): Promise<ToolResult> {
  if (input.ref?.startsWith('-')) {
    throw new ToolError(`ref "${input.ref}" starts with "-".`, 'Give a branch, tag or commit such as HEAD~1; options are not accepted.');
  }
  const repo = await findRepo(context.root, input.path);
  // --end-of-options as well as the check above: whatever follows is a revision, never a flag.
  const args = ['diff', '--patch-with-stat', '--no-color', '--no-ext-diff', '--no-textconv'];
  if (input.staged) args.push('--cached');
  if (input.ref) args.push('--end-of-options', input.ref);
  args.push('--');
  if (input.path !== undefined && repo.target !== repo.top) args.push(repo.target);

  const result = await runGit(context.root, repo.top, args);
  if (result.code !== 0 && !result.overflowed) {
    return failure(`git diff failed: ${result.stderr.trim() || `exit ${result.code}`}`, 'Check the ref exists (bash: git log --oneline -5, git branch -a).');
  }
  if (result.stdout.trim() === '') {
    return ok(`(no ${input.staged ? 'staged ' : ''}changes; untracked files are not diffed, see git_status)`);
  }
  const text = result.overflowed ? `${result.stdout}\n[diff too large; stopped reading git output]` : result.stdout;
  return ok(capText(text, MAX_OUTPUT_CHARS));
}
