import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_ENTRIES = 1000;

export const listDirInput = {
  path: z.string().optional().describe('Directory inside the workspace (default: its root)'),
};

export async function listWorkspaceDir(context: ToolContext, input: { path?: string }): Promise<ToolResult> {
  const path = await resolveInWorkspace(context.root, input.path ?? '.');
  const entries = await readdir(path, { withFileTypes: true });
  const lines = entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, MAX_ENTRIES)
    .map((entry) => `${entry.isDirectory() ? 'dir ' : entry.isSymbolicLink() ? 'link' : 'file'} ${entry.name}`);
  if (entries.length > MAX_ENTRIES) lines.push(`[${entries.length - MAX_ENTRIES} more entries not shown]`);
  return ok(lines.join('\n') || '(empty)');
}
