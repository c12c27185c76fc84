import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError, ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const readFileInput = {
  path: z.string().min(1).describe('File path inside the workspace'),
  offset: z.number().int().min(1).optional().describe('First line to return, 1-based (default 1)'),
  limit: z.number().int().min(1).max(5000).optional().describe('How many lines to return (default 2000)'),
};

export async function readWorkspaceFile(context: ToolContext, input: { path: string; offset?: number; limit?: number }): Promise<ToolResult> {
  const path = await resolveInWorkspace(context.root, input.path);
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) {
    throw new ToolError(`${input.path} is ${info.size} bytes, too large to read whole.`, 'Use grep or bash with head/tail.');
  }
  const lines = (await readFile(path, 'utf8')).split('\n');
  const offset = input.offset ?? 1;
  const limit = input.limit ?? 2000;
  const slice = lines.slice(offset - 1, offset - 1 + limit);
  const numbered = slice.map((line, index) => `${String(offset + index).padStart(6)}\t${line}`).join('\n');
  const more = offset - 1 + limit < lines.length ? `\n[${lines.length - (offset - 1 + limit)} more lines; use offset]` : '';
  return ok(numbered + more);
}
