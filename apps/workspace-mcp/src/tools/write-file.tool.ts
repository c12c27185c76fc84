import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

export const writeFileInput = {
  path: z.string().min(1).describe('File path inside the workspace; parent folders are created'),
  content: z.string().describe('The whole new content of the file'),
};

export async function writeWorkspaceFile(context: ToolContext, input: { path: string; content: string }): Promise<ToolResult> {
  const path = await resolveInWorkspace(context.root, input.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, input.content);
  return ok(`wrote ${Buffer.byteLength(input.content)} bytes to ${input.path}`);
}
