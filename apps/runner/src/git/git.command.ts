import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPOSITORY_NAME, REPOS_DIR, WORKTREES_DIR, type RunnerGitAnswer, type RunnerGitRequest } from '@garrison/core/runner-git';
import { changedFiles, fileDiff } from './git-diff.ts';
import { GARRISON_IDENTITY, GitFailure, gitText, runGit, scrub } from './git-process.ts';

/**
 * `runner git`: one git operation on a repository of the workspace, as uid 1000. The request
 * (RunnerGitRequest, possibly carrying a credential) is one JSON line on stdin; the answer one
 * JSON line on stdout. Repository and worktree names are checked here too: the runner trusts no
 * path it is handed.
 */
export async function gitCommand(input: string): Promise<number> {
  let answer: RunnerGitAnswer;
  try {
    answer = await perform(JSON.parse(input) as RunnerGitRequest);
  } catch (error) {
    const failure = error instanceof GitFailure ? error : new GitFailure(scrub(error instanceof Error ? error.message : String(error)));
    answer = { ok: false, code: failure.code, message: failure.message, ...(failure.files ? { files: failure.files } : {}) };
  }
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(answer)}\n`, () => resolve()));
  return answer.ok ? 0 : 1;
}

const reposDir = () => process.env.GARRISON_REPOS_DIR ?? REPOS_DIR;
const worktreesDir = () => process.env.GARRISON_WORKTREES_DIR ?? WORKTREES_DIR;
const SHORT_ID = /^[a-z0-9]{4,40}$/;
const BRANCH = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;

function repoPath(name: string): string {
  if (!REPOSITORY_NAME.test(name)) throw new GitFailure(`bad repository name "${name}"`, 'invalid_input');
  return join(reposDir(), name);
}

function checkBranch(name: string): string {
  if (!BRANCH.test(name) || name.includes('..')) throw new GitFailure(`bad branch name "${name}"`, 'invalid_input');
  return name;
}

function checkWorktree(path: string): string {
  const short = path.startsWith(`${worktreesDir()}/`) ? path.slice(worktreesDir().length + 1) : '';
  if (!SHORT_ID.test(short)) throw new GitFailure(`bad worktree path "${path}"`, 'invalid_input');
  return path;
}

async function perform(request: RunnerGitRequest): Promise<RunnerGitAnswer> {
  switch (request.op) {
    case 'clone':
      return clone(request);
    case 'worktree':
      return addWorktree(request);
    case 'settle': {
      const cwd = checkWorktree(request.worktree);
      await gitText(['add', '-A'], { cwd });
      const staged = await runGit(['diff', '--cached', '--quiet'], { cwd });
      if (staged.code === 1) await gitText([...GARRISON_IDENTITY, 'commit', '-q', '--no-verify', '-m', request.message], { cwd });
      const head = await gitText(['rev-parse', 'HEAD'], { cwd });
      const base = await gitText(['merge-base', request.base, 'HEAD'], { cwd });
      return { ok: true, op: 'settle', committed: staged.code === 1, headCommit: head, files: await changedFiles(cwd, base, head) };
    }
    case 'diff': {
      const cwd = existsSync(request.worktree) ? checkWorktree(request.worktree) : repoPath(request.repo);
      // The worktree may be gone (merged, then discarded): the branch in the main checkout still answers.
      const head = existsSync(request.worktree) ? 'HEAD' : checkBranch(request.branch);
      const base = await gitText(['merge-base', request.base, head], { cwd });
      const tip = await gitText(['rev-parse', head], { cwd });
      let files = await changedFiles(cwd, base, tip);
      if (request.paths) files = files.filter((file) => request.paths!.includes(file.path) || (file.oldPath !== undefined && request.paths!.includes(file.oldPath)));
      const page = files.slice(request.cursor, request.cursor + request.limit);
      const diffs = [];
      for (const file of page) diffs.push(await fileDiff(cwd, base, tip, file));
      const next = request.cursor + request.limit;
      return { ok: true, op: 'diff', files: diffs, total: files.length, nextCursor: next < files.length ? next : null };
    }
    case 'merge':
      return merge(request);
    case 'push': {
      const cwd = repoPath(request.repo);
      const branch = checkBranch(request.branch);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.remote)) throw new GitFailure(`bad remote name "${request.remote}"`, 'invalid_input');
      await gitText(['push', '--porcelain', request.remote, `refs/heads/${branch}:refs/heads/${branch}`], { cwd, ...(request.credential ? { credential: request.credential } : {}) });
      return { ok: true, op: 'push', remote: request.remote, branch };
    }
    case 'discard': {
      const cwd = repoPath(request.repo);
      const worktree = checkWorktree(request.worktree);
      if (existsSync(worktree)) await gitText(['worktree', 'remove', '--force', worktree], { cwd });
      await gitText(['worktree', 'prune'], { cwd });
      const branch = checkBranch(request.branch);
      const exists = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd });
      if (exists.code === 0) await gitText(['branch', '-D', branch], { cwd });
      return { ok: true, op: 'discard' };
    }
    case 'remove':
      await rm(repoPath(request.repo), { recursive: true, force: true });
      return { ok: true, op: 'remove' };
  }
}

async function clone(request: Extract<RunnerGitRequest, { op: 'clone' }>): Promise<RunnerGitAnswer> {
  const target = repoPath(request.name);
  const credential = request.credential ? { credential: request.credential } : {};
  if (!existsSync(join(target, '.git'))) {
    await mkdir(reposDir(), { recursive: true });
    // Cloned beside the target and renamed: a failed clone leaves no half a checkout behind.
    const temporary = join(reposDir(), `.${request.name}.cloning-${process.pid}`);
    await rm(temporary, { recursive: true, force: true });
    const branch = request.branch ? ['--branch', checkBranch(request.branch)] : [];
    try {
      await gitText(['clone', '--quiet', ...branch, '--', request.url, temporary], credential);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      throw error;
    }
  }
  const head = await gitText(['symbolic-ref', '--short', 'HEAD'], { cwd: target });
  return { ok: true, op: 'clone', defaultBranch: head };
}

async function addWorktree(request: Extract<RunnerGitRequest, { op: 'worktree' }>): Promise<RunnerGitAnswer> {
  const cwd = repoPath(request.repo);
  const branch = checkBranch(request.branch);
  const base = checkBranch(request.base);
  if (!SHORT_ID.test(request.missionShort)) throw new GitFailure('bad mission id', 'invalid_input');
  const path = join(worktreesDir(), request.missionShort);
  let baseRef = `refs/heads/${base}`;
  if ((await runGit(['rev-parse', '--verify', '--quiet', baseRef], { cwd })).code !== 0) {
    // Not a local branch yet: the remote may have it.
    await runGit(['fetch', '--quiet', 'origin', `refs/heads/${base}:refs/remotes/origin/${base}`], { cwd, ...(request.credential ? { credential: request.credential } : {}) });
    baseRef = `refs/remotes/origin/${base}`;
    if ((await runGit(['rev-parse', '--verify', '--quiet', baseRef], { cwd })).code !== 0) {
      throw new GitFailure(`The repository has no branch "${base}"; choose an existing base branch.`, 'not_found');
    }
  }
  const baseCommit = await gitText(['rev-parse', `${baseRef}^{commit}`], { cwd });
  if (existsSync(path)) {
    // Created before, by a worker that died before recording it: reuse it.
    return { ok: true, op: 'worktree', path, baseCommit: await gitText(['merge-base', baseCommit, 'HEAD'], { cwd: path }) };
  }
  await mkdir(worktreesDir(), { recursive: true });
  const branchExists = (await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd })).code === 0;
  await gitText(['worktree', 'add', '--quiet', ...(branchExists ? [path, branch] : ['-b', branch, path, baseCommit])], { cwd });
  return { ok: true, op: 'worktree', path, baseCommit };
}

/**
 * Merges the mission's branch into the base in the repository's main checkout. Anything but a
 * clean result leaves the checkout as it was: a conflict is aborted and reported with its files.
 */
async function merge(request: Extract<RunnerGitRequest, { op: 'merge' }>): Promise<RunnerGitAnswer> {
  const cwd = repoPath(request.repo);
  const branch = checkBranch(request.branch);
  const base = checkBranch(request.base);
  const dirty = await gitText(['status', '--porcelain', '--untracked-files=no'], { cwd });
  if (dirty) throw new GitFailure(`The main checkout of ${request.repo} has uncommitted changes; commit or discard them there first.`, 'invalid_input');
  const current = await runGit(['symbolic-ref', '--short', 'HEAD'], { cwd });
  if (current.stdout.toString('utf8').trim() !== base) await gitText(['checkout', '--quiet', base], { cwd });
  const ahead = await gitText(['rev-list', '--count', `${base}..${branch}`], { cwd });
  if (ahead === '0') throw new GitFailure(`${branch} has nothing that ${base} lacks.`, 'nothing_to_merge');
  if (request.mode === 'ff') {
    const run = await runGit(['merge', '--ff-only', '--quiet', branch], { cwd });
    if (run.code !== 0) throw new GitFailure(`${base} moved on since ${branch} started, so it cannot be fast-forwarded; merge with a merge commit instead.`, 'not_fast_forward');
    return { ok: true, op: 'merge', commit: await gitText(['rev-parse', 'HEAD'], { cwd }), fastForward: true };
  }
  const run = await runGit([...GARRISON_IDENTITY, 'merge', '--no-ff', '--no-edit', '--quiet', '-m', request.message, branch], { cwd });
  if (run.code !== 0) {
    const conflicted = (await runGit(['diff', '--name-only', '--diff-filter=U'], { cwd })).stdout.toString('utf8').split('\n').filter(Boolean);
    await runGit(['merge', '--abort'], { cwd });
    if (conflicted.length > 0) throw new GitFailure(`Merging ${branch} into ${base} conflicts in ${conflicted.length} file(s); nothing was changed.`, 'merge_conflict', conflicted);
    throw new GitFailure(`git merge failed: ${scrub(run.stderr).trim().slice(0, 800)}`);
  }
  return { ok: true, op: 'merge', commit: await gitText(['rev-parse', 'HEAD'], { cwd }), fastForward: false };
}
