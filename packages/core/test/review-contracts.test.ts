import { describe, expect, it } from 'vitest';
import { CreateRepositoryBody, GitBranchName, MissionMessageBody, formatReviewMessage, missionBranch, parseRunnerSpec } from '../src/index.ts';

describe('review contracts', () => {
  it('accepts the URL kinds git speaks and matches the auth to the scheme', () => {
    expect(CreateRepositoryBody.parse({ name: 'app', url: 'file:///workspace/remotes/origin.git' }).auth).toEqual({ kind: 'none' });
    expect(CreateRepositoryBody.safeParse({ name: 'app', url: 'git@github.com:org/app.git', auth: { kind: 'ssh_key' } }).success).toBe(true);
    expect(CreateRepositoryBody.safeParse({ name: 'app', url: 'ssh://git@host/app.git', auth: { kind: 'ssh_key' } }).success).toBe(true);
    expect(CreateRepositoryBody.safeParse({ name: 'app', url: 'https://host/app.git', auth: { kind: 'https_token', token: 't' } }).success).toBe(true);
    expect(CreateRepositoryBody.safeParse({ name: 'app', url: 'http://host/app.git', auth: { kind: 'https_token', token: 't' } }).success).toBe(false);
    expect(CreateRepositoryBody.safeParse({ name: 'app', url: 'ext::sh -c id' }).success).toBe(false);
    expect(CreateRepositoryBody.safeParse({ name: '.hidden', url: 'https://host/app.git' }).success).toBe(false);
  });

  it('takes branch names git takes, never an option', () => {
    for (const good of ['main', 'release/1.2', 'feature_x', 'garrison/abc123']) expect(GitBranchName.safeParse(good).success, good).toBe(true);
    for (const bad of ['-f', 'a..b', 'a//b', 'end/', 'x.lock', 'sp ace', '']) expect(GitBranchName.safeParse(bad).success, bad).toBe(false);
  });

  it('tells a follow-up from review comments', () => {
    expect(MissionMessageBody.parse({ text: 'hi' })).toEqual({ text: 'hi' });
    expect(MissionMessageBody.parse({ kind: 'review', comments: [{ path: 'a', line: 2, body: 'x' }] })).toMatchObject({ comments: [{ side: 'new' }] });
  });

  it('formats comments with file:line and the quoted line', () => {
    const text = formatReviewMessage('garrison/abc', [
      { path: 'src/a.ts', line: 3, side: 'new', body: 'Rename this.', quoted: 'const x = 1;' },
      { path: 'b.md', line: 1, side: 'old', body: 'Keep this line.', quoted: null },
    ], 'Then run the tests.');
    expect(text).toContain('(branch garrison/abc)');
    expect(text).toContain('src/a.ts:3\n> const x = 1;\nRename this.');
    expect(text).toContain('b.md:1 (the line as it was before your change)\nKeep this line.');
    expect(text.endsWith('Then run the tests.')).toBe(true);
  });

  it('names branches by the mission id tail and keeps a runner cwd inside /workspace', () => {
    expect(missionBranch('cm9abcdefghij0123456789')).toBe('garrison/0123456789');
    const spec = { missionId: 'cm9abcdefghij', agent: 'shell', prompt: 'x', startSeq: 1, policy: 'auto' };
    expect(parseRunnerSpec({ ...spec, cwd: '/workspace/.garrison/worktrees/abc' }).cwd).toBe('/workspace/.garrison/worktrees/abc');
    expect(() => parseRunnerSpec({ ...spec, cwd: '/etc' })).toThrow(/cwd/);
    expect(() => parseRunnerSpec({ ...spec, cwd: '/workspace/../etc' })).toThrow(/cwd/);
  });
});
