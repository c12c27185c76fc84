import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@garrison/testkit';
import { resolveInWorkspace } from '../src/files/workspace-path.ts';

let base: string;
let root: string;

/** `runner files ...` as the worker runs it, against a temporary workspace. */
async function files(args: string[], input?: string): Promise<{ answer: Record<string, unknown>; rest: string; code: number }> {
  const child = execFile(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'apps/runner/src/main.ts'), 'files', ...args], {
    env: { ...process.env, GARRISON_WORKSPACE_DIR: root },
    cwd: REPO_ROOT,
  });
  child.stdin?.end(input ?? '');
  let stdout = '';
  child.stdout?.on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((done) => child.on('close', (exit) => done(exit ?? -1)));
  const newline = stdout.indexOf('\n');
  return { answer: JSON.parse(stdout.slice(0, newline)), rest: stdout.slice(newline + 1), code };
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'garrison-files-'));
  root = join(base, 'workspace');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside', 'secret.txt'), 'secret');
  await writeFile(join(root, 'src', 'a.txt'), 'hello');
  await symlink(join(base, 'outside'), join(root, 'out'));
  await symlink('src', join(root, 'in'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInWorkspace', () => {
  it('resolves inside paths, links inside and missing files', async () => {
    expect((await resolveInWorkspace(root, '')).relative).toBe('');
    expect((await resolveInWorkspace(root, 'in/a.txt')).relative).toBe('src/a.txt');
    expect((await resolveInWorkspace(root, `${root}/src`)).relative).toBe('src');
    expect((await resolveInWorkspace(root, 'new/dir/file.txt')).relative).toBe('new/dir/file.txt');
  });

  it.each(['..', '../outside/secret.txt', '/etc/passwd', 'out/secret.txt', 'out', 'in/../../outside', 'out/new-file.txt'])('refuses %s', async (path) => {
    await expect(resolveInWorkspace(root, path)).rejects.toMatchObject({ code: 'path_outside_workspace' });
  });
});

describe('runner files', () => {
  it('lists, reads and writes inside the workspace', async () => {
    const listing = await files(['list', '']);
    expect(listing.answer).toMatchObject({ ok: true, path: '', truncated: false });
    expect(listing.answer.entries).toEqual([
      expect.objectContaining({ name: 'src', type: 'dir' }),
      expect.objectContaining({ name: 'in', type: 'symlink', target: 'dir' }),
      expect.objectContaining({ name: 'out', type: 'symlink', target: 'outside' }),
    ]);
    const read = await files(['read', 'in/a.txt', '--max-bytes', '3']);
    expect(read.answer).toEqual({ ok: true, path: 'src/a.txt', size: 5, truncated: true, length: 3 });
    expect(read.rest).toBe('hel');
    const written = await files(['write', 'deep/x.txt', '--size', '4'], 'data');
    expect(written.answer).toEqual({ ok: true, path: 'deep/x.txt', size: 4 });
    expect(await readFile(join(root, 'deep', 'x.txt'), 'utf8')).toBe('data');
  });

  it('refuses a whole read of a larger file, and a write that arrives short leaves nothing', async () => {
    expect((await files(['read', 'src/a.txt', '--max-bytes', '3', '--whole'])).answer).toMatchObject({ ok: false, code: 'file_too_large' });
    const short = await files(['write', 'short.txt', '--size', '10'], 'abc');
    expect(short.answer).toMatchObject({ ok: false, code: 'internal_error' });
    expect(short.code).toBe(1);
    expect(await readdir(root)).not.toContain('short.txt');
    expect((await readdir(root)).filter((name) => name.includes('garrison-upload'))).toEqual([]);
  });

  it.each(['list', 'read', 'write'])('refuses paths out of the workspace for %s', async (op) => {
    for (const path of ['../outside/secret.txt', '/etc/passwd', 'out/secret.txt']) {
      const flags = op === 'read' ? ['--max-bytes', '100'] : op === 'write' ? ['--size', '1'] : [];
      const result = await files([op, path, ...flags], 'x');
      expect(result.answer, `${op} ${path}`).toMatchObject({ ok: false, code: 'path_outside_workspace' });
    }
    expect(await readFile(join(base, 'outside', 'secret.txt'), 'utf8')).toBe('secret');
  });
});

