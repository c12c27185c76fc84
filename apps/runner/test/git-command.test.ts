import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@garrison/testkit';
import type { RunnerGitRequest } from '@garrison/core/runner-git';

let base: string;
let repos: string;
let worktrees: string;
let remote: string;

/** `runner git` as the worker runs it (request on stdin), against temporary directories and real git. */
async function git(request: RunnerGitRequest, env: Record<string, string> = {}): Promise<Record<string, any>> {
  const child = execFile(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'apps/runner/src/main.ts'), 'git'], {
    env: { ...process.env, GARRISON_REPOS_DIR: repos, GARRISON_WORKTREES_DIR: worktrees, ...env },
    cwd: REPO_ROOT,
  });
  child.stdin?.end(`${JSON.stringify(request)}\n`);
  let stdout = '';
  child.stdout?.on('data', (chunk: string) => (stdout += chunk));
  await new Promise<void>((done) => child.on('close', () => done()));
  return JSON.parse(stdout.split('\n')[0]!);
}

const sh = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'garrison-git-'));
  repos = join(base, 'repos');
  worktrees = join(base, 'worktrees');
  remote = join(base, 'origin.git');
  const seed = join(base, 'seed');
  await mkdir(seed);
  sh(base, 'init', '-q', '--bare', '-b', 'main', remote);
  sh(seed, 'init', '-q', '-b', 'main');
  await writeFile(join(seed, 'README.md'), 'one\ntwo\nthree\n');
  await writeFile(join(seed, 'old-name.txt'), 'a file that will be renamed\nwith two lines\n');
  await writeFile(join(seed, 'shared.txt'), 'base\n');
  sh(seed, 'add', '-A');
  sh(seed, 'commit', '-q', '-m', 'seed');
  sh(seed, 'push', '-q', remote, 'main');
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('runner git', () => {
  it('clones, isolates two missions in worktrees, settles, diffs text/binary/renames, merges, pushes and discards', async () => {
    expect(await git({ op: 'clone', name: 'app', url: `file://${remote}` })).toEqual({ ok: true, op: 'clone', defaultBranch: 'main' });
    expect(await git({ op: 'clone', name: '../x', url: `file://${remote}` })).toMatchObject({ ok: false, code: 'invalid_input' });

    const one = await git({ op: 'worktree', repo: 'app', missionShort: 'aaaa1111', branch: 'garrison/aaaa1111', base: 'main' });
    const two = await git({ op: 'worktree', repo: 'app', missionShort: 'bbbb2222', branch: 'garrison/bbbb2222', base: 'main' });
    expect(one).toMatchObject({ ok: true, path: join(worktrees, 'aaaa1111') });
    expect(two.baseCommit).toBe(one.baseCommit);
    expect(await git({ op: 'worktree', repo: 'app', missionShort: 'cccc3333', branch: 'garrison/cccc3333', base: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });

    // Mission one: edit, add a binary, rename; nothing committed by the "agent".
    await writeFile(join(one.path, 'README.md'), 'one\nTWO\nthree\nfour\n');
    await writeFile(join(one.path, 'logo.bin'), Buffer.from([0, 1, 2, 3, 255, 0, 7]));
    await rename(join(one.path, 'old-name.txt'), join(one.path, 'new-name.txt'));
    const settled = await git({ op: 'settle', repo: 'app', worktree: one.path, base: one.baseCommit, message: 'garrison: m1' });
    expect(settled).toMatchObject({ ok: true, committed: true });
    expect(settled.files).toEqual([
      { path: 'README.md', status: 'modified', additions: 2, deletions: 1, binary: false },
      { path: 'logo.bin', status: 'added', additions: 0, deletions: 0, binary: true },
      { path: 'new-name.txt', oldPath: 'old-name.txt', status: 'renamed', additions: 0, deletions: 0, binary: false },
    ]);
    expect(sh(two.path, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(two.path, 'logo.bin'))).toBe(false);

    const diff = await git({ op: 'diff', repo: 'app', worktree: one.path, branch: 'garrison/aaaa1111', base: one.baseCommit, cursor: 0, limit: 2 });
    expect(diff).toMatchObject({ ok: true, total: 3, nextCursor: 2 });
    expect(diff.files[0].hunks[0].lines).toEqual([
      { kind: 'context', oldLine: 1, newLine: 1, text: 'one' },
      { kind: 'del', oldLine: 2, text: 'two' },
      { kind: 'add', newLine: 2, text: 'TWO' },
      { kind: 'context', oldLine: 3, newLine: 3, text: 'three' },
      { kind: 'add', newLine: 4, text: 'four' },
    ]);
    expect(diff.files[1]).toMatchObject({ path: 'logo.bin', binary: true, hunks: [] });
    const page2 = await git({ op: 'diff', repo: 'app', worktree: one.path, branch: 'garrison/aaaa1111', base: one.baseCommit, cursor: 2, limit: 2 });
    expect(page2).toMatchObject({ nextCursor: null, files: [{ path: 'new-name.txt', oldPath: 'old-name.txt', status: 'renamed', hunks: [] }] });

    // Mission two changes shared.txt; mission one, then, too: the second merge conflicts.
    await writeFile(join(two.path, 'shared.txt'), 'from two\n');
    await git({ op: 'settle', repo: 'app', worktree: two.path, base: two.baseCommit, message: 'garrison: m2' });
    const repo = join(repos, 'app');
    expect(await git({ op: 'merge', repo: 'app', branch: 'garrison/bbbb2222', base: 'main', mode: 'ff', message: 'm' })).toMatchObject({ ok: true, fastForward: true });
    expect(await git({ op: 'merge', repo: 'app', branch: 'garrison/aaaa1111', base: 'main', mode: 'ff', message: 'm' })).toMatchObject({ ok: false, code: 'not_fast_forward' });
    await writeFile(join(one.path, 'shared.txt'), 'from one\n');
    await git({ op: 'settle', repo: 'app', worktree: one.path, base: one.baseCommit, message: 'garrison: m1 again' });
    const before = sh(repo, 'rev-parse', 'HEAD');
    const conflict = await git({ op: 'merge', repo: 'app', branch: 'garrison/aaaa1111', base: 'main', mode: 'merge', message: 'm' });
    expect(conflict).toMatchObject({ ok: false, code: 'merge_conflict', files: ['shared.txt'] });
    expect(sh(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(sh(repo, 'status', '--porcelain')).toBe('');

    // Mission one resolves by taking two's line; a merge commit lands.
    await writeFile(join(one.path, 'shared.txt'), 'from two\n');
    await git({ op: 'settle', repo: 'app', worktree: one.path, base: one.baseCommit, message: 'garrison: m1 fix' });
    expect(await git({ op: 'merge', repo: 'app', branch: 'garrison/aaaa1111', base: 'main', mode: 'merge', message: 'Merge m1' })).toMatchObject({ ok: true, fastForward: false });
    expect(sh(repo, 'log', '-1', '--format=%s%n%P').split('\n')[1]!.split(' ')).toHaveLength(2);

    expect(await git({ op: 'push', repo: 'app', branch: 'garrison/aaaa1111', remote: 'origin' })).toMatchObject({ ok: true });
    expect(sh(base, '--git-dir', remote, 'rev-parse', 'garrison/aaaa1111')).toBe(sh(one.path, 'rev-parse', 'HEAD'));

    expect(await git({ op: 'discard', repo: 'app', worktree: two.path, branch: 'garrison/bbbb2222' })).toEqual({ ok: true, op: 'discard' });
    expect(existsSync(two.path)).toBe(false);
    expect(sh(repo, 'branch', '--list', 'garrison/bbbb2222')).toBe('');
    expect(sh(repo, 'worktree', 'list')).not.toContain('bbbb2222');
  }, 60_000);

  it('sends a token only as an HTTP header of that git process, never into the clone or its config', async () => {
    const token = `tok_${Date.now().toString(36)}_planted`;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/org/private.git`;
      const answer = await git({ op: 'clone', name: 'private', url, credential: { kind: 'https_token', token } });
      expect(answer).toMatchObject({ ok: false, code: 'git_failed' });
      expect(JSON.stringify(answer)).not.toContain(token);
      expect(seen).toContain(`Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
      expect(existsSync(join(repos, 'private'))).toBe(false);
      expect(await readFile(join(repos, 'app', '.git', 'config'), 'utf8')).not.toContain('extraHeader');
    } finally {
      server.close();
    }
  });

  it('hands ssh a deploy key as a 0600 file that is gone once git is done', async () => {
    // git runs GIT_SSH_COMMAND through the shell; this `ssh` on PATH records what it was given.
    const bin = join(base, 'bin');
    const record = join(base, 'ssh-record');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'ssh'), `#!/bin/sh\nfor a; do case "$prev" in -i) stat -c %a "$a" > ${record}.mode; cat "$a" > ${record}.key; echo "$a" > ${record}.path;; esac; prev="$a"; done\nexit 255\n`, { mode: 0o755 });
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nplanted\n-----END OPENSSH PRIVATE KEY-----\n';
    const answer = await git({ op: 'clone', name: 'via-ssh', url: 'ssh://git@git.example.com/org/app.git', credential: { kind: 'ssh_key', privateKey } }, { PATH: `${bin}:${process.env.PATH}` });
    expect(answer).toMatchObject({ ok: false, code: 'git_failed' });
    expect((await readFile(`${record}.mode`, 'utf8')).trim()).toBe('600');
    expect(await readFile(`${record}.key`, 'utf8')).toBe(privateKey);
    expect(existsSync((await readFile(`${record}.path`, 'utf8')).trim())).toBe(false);
  });
});
