import { realpath, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { globToRegExp, patternNames } from '../glob-pattern.ts';
import { ToolError, ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_RESULTS = 1000;
const MAX_VISITED = 200_000;
const SKIPPED_DIRS = ['.git', 'node_modules'];

export const globInput = {
  pattern: z.string().min(1).describe('Glob relative to path, e.g. "**/*.ts", "src/*.{js,json}"; * and ** also match dot files'),
  path: z.string().optional().describe('Folder to search inside the workspace (default: its root)'),
};

/**
 * Walks the tree with lstat semantics (readdir's entry types): a symlink is listed when its name
 * matches but never entered, so the walk cannot leave the workspace. `.git` and `node_modules`
 * are skipped unless the pattern names them.
 */
export async function globWorkspace(context: ToolContext, input: { pattern: string; path?: string }): Promise<ToolResult> {
  const realRoot = await realpath(context.root);
  const base = await resolveInWorkspace(context.root, input.path ?? '.');
  if (!(await stat(base)).isDirectory()) {
    throw new ToolError(`${input.path} is not a directory.`, 'Give glob a folder as path, or use read_file for a file.');
  }
  const matcher = globToRegExp(input.pattern);
  const skipped = new Set(SKIPPED_DIRS.filter((name) => !patternNames(input.pattern, name)));
  const matches: string[] = [];
  const pending = [base];
  let visited = 0;
  while (pending.length > 0 && visited < MAX_VISITED) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // An unreadable folder is left out, as `find` would.
    }
    for (const entry of entries) {
      visited++;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name)) pending.push(full);
      } else if (matcher.test(relative(base, full))) {
        matches.push(relative(realRoot, full));
      }
    }
  }
  matches.sort();
  const lines = matches.slice(0, MAX_RESULTS);
  if (matches.length > MAX_RESULTS) lines.push(`[${matches.length - MAX_RESULTS} more matches not shown; narrow the pattern or path]`);
  if (visited >= MAX_VISITED) lines.push(`[stopped after ${MAX_VISITED} entries; narrow the path]`);
  return ok(lines.join('\n') || '(no files match)');
}
