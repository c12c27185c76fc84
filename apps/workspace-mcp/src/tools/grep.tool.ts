import { realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import { z } from 'zod';
import { capText } from '../output-cap.ts';
import { runProcess } from '../run-process.ts';
import { failure, ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;
const MAX_RG_BYTES = 4 * 1024 * 1024;
const RG_TIMEOUT_MS = 60_000;

export const grepInput = {
  pattern: z.string().min(1).describe('Regular expression (Rust syntax, as ripgrep)'),
  path: z.string().optional().describe('File or folder to search inside the workspace (default: its root)'),
  glob: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts" ("!" prefix excludes)'),
  ignoreCase: z.boolean().optional().describe('Case-insensitive match'),
  maxResults: z.number().int().min(1).max(5000).optional().describe('Most matching lines to return (default 200)'),
};

interface GrepInput {
  pattern: string;
  path?: string;
  glob?: string;
  ignoreCase?: boolean;
  maxResults?: number;
}

/**
 * ripgrep from an argv array: the pattern goes after `-e` and the path after `--`, so neither can
 * be read as a flag, and `--no-config` keeps RIPGREP_CONFIG_PATH from adding any. Symlinks are not
 * followed (rg's default) and .gitignore is honoured; hidden files are searched, `.git` and
 * `node_modules` are not unless the path or glob names them.
 */
export async function grepWorkspace(context: ToolContext, input: GrepInput): Promise<ToolResult> {
  const realRoot = await realpath(context.root);
  const target = await resolveInWorkspace(context.root, input.path ?? '.');
  const searchPath = relative(realRoot, target) || '.';
  const named = `${searchPath}/${input.glob ?? ''}`;
  const args = ['--no-config', '--line-number', '--no-heading', '--with-filename', '--null', '--color=never', '--sort=path', '--hidden'];
  args.push('--max-columns=500', '--max-columns-preview');
  for (const dir of ['.git', 'node_modules']) if (!named.split(/[/{},!]/).includes(dir)) args.push(`--glob=!${dir}`);
  if (input.glob) args.push(`--glob=${input.glob}`);
  if (input.ignoreCase) args.push('--ignore-case');
  args.push('-e', input.pattern, '--', searchPath);

  const result = await runProcess('rg', args, { cwd: realRoot, timeoutMs: RG_TIMEOUT_MS, maxStdoutBytes: MAX_RG_BYTES });
  if (result.timedOut) return failure(`grep timed out after ${RG_TIMEOUT_MS / 1000}s.`, 'Narrow the path or add a glob.');
  if (result.code === 1 && !result.overflowed) return ok('(no matches)');
  if (result.code !== 0 && !result.overflowed) {
    return failure(`rg failed (exit ${result.code}): ${result.stderr.trim()}`, 'The pattern is a Rust regex: escape . * + ? ( ) [ ] { } | \\ to match them literally; check the glob.');
  }
  // rg was killed mid-line when it overflowed: drop the partial last line.
  const rawLines = result.stdout.split('\n');
  rawLines.pop();
  const lines = rawLines.map(formatLine);
  const maxResults = input.maxResults ?? 200;
  const shown = lines.slice(0, maxResults);
  if (lines.length > maxResults || result.overflowed) {
    const more = lines.length - shown.length;
    shown.push(`[${result.overflowed ? 'at least ' : ''}${more} more matches not shown; narrow the pattern, path or glob]`);
  }
  return ok(capText(shown.join('\n'), MAX_OUTPUT_CHARS));
}

/** `path\0line:text` (rg --null) -> `path:line:text`, with the `./` of a root search dropped. */
function formatLine(line: string): string {
  const nul = line.indexOf('\0');
  if (nul === -1) return line;
  const path = line.slice(0, nul).replace(/^\.\//, '');
  return `${path}:${line.slice(nul + 1)}`;
}
