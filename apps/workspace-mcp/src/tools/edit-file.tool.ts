import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError, ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

export const editFileInput = {
  path: z.string().min(1).describe('File path inside the workspace'),
  oldText: z.string().min(1).describe('Exact text to replace; must occur exactly once'),
  newText: z.string().describe('Replacement text'),
};

export async function editWorkspaceFile(context: ToolContext, input: { path: string; oldText: string; newText: string }): Promise<ToolResult> {
  const path = await resolveInWorkspace(context.root, input.path);
  const content = await readFile(path, 'utf8');
  const first = content.indexOf(input.oldText);
  if (first === -1) throw new ToolError(`oldText does not occur in ${input.path}.`, 'Read the file and copy the exact text, whitespace included.');
  if (content.indexOf(input.oldText, first + 1) !== -1) {
    throw new ToolError(`oldText occurs more than once in ${input.path}.`, 'Include more surrounding lines so it matches exactly once.');
  }
  await writeFile(path, content.slice(0, first) + input.newText + content.slice(first + input.oldText.length));
  return ok(`edited ${input.path}`);
}
