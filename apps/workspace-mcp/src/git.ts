import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runProcess, type ProcessOutcome } from './run-process.ts';
import { ToolError } from './tool-result.ts';
import { resolveInWorkspace } from './workspace-paths.ts';

const GIT_TIMEOUT_MS = 60_000;
export const MAX_GIT_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface Repo {
  /** Real path of the work tree's top level, inside the workspace. */
  top: string;
  /** The path the agent named, resolved inside the workspace. */
  target: string;
}

/**
 * Runs git without a shell, prompt, pager or colour. The ceiling stops repository discovery at
 * the workspace root, so a path in a folder that is not a repository never reports on some
 * repository above /workspace; GIT_DIR and friends are dropped so the container's env cannot
 * point git elsewhere.
 */
export async function runGit(root: string, cwd: string, args: string[]): Promise<ProcessOutcome> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_CEILING_DIRECTORIES: dirname(await realpath(root)),
    LC_ALL: 'C',
  };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR']) delete env[name];
  const config = ['-c', 'core.pager=cat', '-c', 'color.ui=false', '-c', 'core.fsmonitor=false'];
  return runProcess('git', [...config, ...args], { cwd, env, timeoutMs: GIT_TIMEOUT_MS, maxStdoutBytes: MAX_GIT_OUTPUT_BYTES });
}

/** Finds the repository containing `path` (default: the workspace root). */
export async function findRepo(root: string, path: string | undefined): Promise<Repo> {
  const target = await resolveInWorkspace(root, path ?? '.');
  const cwd = await nearestDirectory(target);
  const result = await runGit(root, cwd, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0) {
    if (/not a git repository/i.test(result.stderr)) {
      throw new ToolError(
        `${path ?? 'The workspace root'} is not inside a git repository.`,
        'Run `git init` there with bash, or clone the repository into the workspace first.',
      );
    }
    throw new ToolError(`git rev-parse failed: ${result.stderr.trim() || `exit ${result.code}`}`, 'Point path at a folder inside a work tree.');
  }
  const top = await resolveInWorkspace(root, result.stdout.trim());
  return { top, target };
}

/** A file (or a deleted one, for diffs) is looked up from the folder that holds it. */
async function nearestDirectory(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (current === dirname(current)) return current;
  }
}
