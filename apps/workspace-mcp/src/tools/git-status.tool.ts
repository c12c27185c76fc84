import { relative } from 'node:path';
import { realpath } from 'node:fs/promises';
import { z } from 'zod';
import { findRepo, runGit } from '../git.ts';
import { capText } from '../output-cap.ts';
import { failure, ok, type ToolResult } from '../tool-result.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;

export const gitStatusInput = {
  path: z.string().optional().describe('A path inside the repository (default: the workspace root)'),
};

/** `git status --porcelain=v1 -b` of the repository holding path; entry paths are relative to its top. */
export async function gitStatus(context: ToolContext, input: { path?: string }): Promise<ToolResult> {
  const repo = await findRepo(context.root, input.path);
  const result = await runGit(context.root, repo.top, ['status', '--porcelain=v1', '-b']);
  if (result.code !== 0) return failure(`git status failed: ${result.stderr.trim() || `exit ${result.code}`}`, 'Check the repository with bash.');
  const top = relative(await realpath(context.root), repo.top) || '.';
  const body = result.stdout.trimEnd();
  const clean = body.split('\n').length === 1 ? '\n(clean: nothing to commit)' : '';
  return ok(capText(`repo: ${top}\n${body}${clean}`, MAX_OUTPUT_CHARS));
}
