import { describe, expect, test } from 'vitest';
import { commentTarget, repositoryNameFromUrl, repositoryNameProblem, repositoryUrlProblem, sortComments } from '../src/lib/review-format';
import { languageOf } from '../src/lib/highlight';

describe('repository names', () => {
  test('are suggested from https and ssh clone urls', () => {
    expect(repositoryNameFromUrl('https://github.com/acme/Web-App.git')).toBe('web-app');
    expect(repositoryNameFromUrl('git@github.com:acme/My_Repo.git')).toBe('my_repo');
    expect(repositoryNameFromUrl('file:///srv/git/remote.git/')).toBe('remote');
    expect(repositoryNameFromUrl('https://host/acme/.hidden')).toBe('hidden');
    expect(repositoryNameFromUrl('')).toBe('');
  });

  test('are refused with a reason before the API is asked', () => {
    expect(repositoryNameProblem('')).toMatch(/directory name/);
    expect(repositoryNameProblem('Has Space')).toMatch(/lower-case/);
    expect(repositoryNameProblem('-dash')).toMatch(/starting with/);
    expect(repositoryNameProblem('a'.repeat(64))).not.toBeNull();
    expect(repositoryNameProblem('web.app_2')).toBeNull();
  });
});

describe('review comments', () => {
  test('land on the old side for removed lines and the new side otherwise', () => {
    expect(commentTarget({ kind: 'del', oldLine: 7, text: 'x' })).toEqual({ side: 'old', line: 7 });
    expect(commentTarget({ kind: 'add', newLine: 9, text: 'y' })).toEqual({ side: 'new', line: 9 });
    expect(commentTarget({ kind: 'context', oldLine: 3, newLine: 4, text: 'z' })).toEqual({ side: 'new', line: 4 });
    expect(commentTarget({ kind: 'add', text: 'no number' })).toBeNull();
  });

  test('are sent in reading order', () => {
    const sorted = sortComments([
      { path: 'b.ts', line: 1, side: 'new', body: '4' },
      { path: 'a.ts', line: 5, side: 'new', body: '3' },
      { path: 'a.ts', line: 5, side: 'old', body: '2' },
      { path: 'a.ts', line: 2, side: 'new', body: '1' },
    ]);
    expect(sorted.map((comment) => comment.body)).toEqual(['1', '2', '3', '4']);
  });
});

describe('syntax highlighting', () => {
  test('picks a language from the file name', () => {
    expect(languageOf('src/app.tsx')).toBe('typescript');
    expect(languageOf('Dockerfile')).toBe('dockerfile');
    expect(languageOf('docker/Dockerfile.web')).toBe('dockerfile');
    expect(languageOf('README.md')).toBe('markdown');
    expect(languageOf('LICENSE')).toBeNull();
    expect(languageOf('data.bin')).toBeNull();
  });
});

describe('repository urls', () => {
  test('match the way in, as the API checks them', () => {
    expect(repositoryUrlProblem('', 'none')).toMatch(/git clone/);
    expect(repositoryUrlProblem('file:///srv/remote.git', 'none')).toBeNull();
    expect(repositoryUrlProblem('git@github.com:acme/app.git', 'https_token')).toMatch(/https/);
    expect(repositoryUrlProblem('https://github.com/acme/app.git', 'https_token')).toBeNull();
    expect(repositoryUrlProblem('https://github.com/acme/app.git', 'ssh_key')).toMatch(/SSH URL/);
    expect(repositoryUrlProblem('git@github.com:acme/app.git', 'ssh_key')).toBeNull();
    expect(repositoryUrlProblem('ssh://git@host/acme/app.git', 'ssh_key')).toBeNull();
    expect(repositoryUrlProblem('https://me:secret@github.com/acme/app.git', 'none')).toMatch(/token out of the URL/);
  });
});
