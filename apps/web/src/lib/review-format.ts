import { REPOSITORY_NAME } from '@garrison/core';
import type { ChangeStatus, DiffLine, RepositoryAuthKind, ReviewComment, ReviewStatus } from './review-types';

/** A directory name suggested from a clone URL: `git@host:org/My_Repo.git` -> `my_repo`. */
export function repositoryNameFromUrl(url: string): string {
  const last = url.trim().replace(/\/+$/, '').split(/[/:]/).pop() ?? '';
  const name = last
    .replace(/\.git$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  return REPOSITORY_NAME.test(name) ? name : '';
}

/** Why a name is refused before the API is asked, or null when it is fine. */
export function repositoryNameProblem(name: string): string | null {
  if (!name) return 'Give the repository a directory name.';
  if (!REPOSITORY_NAME.test(name)) return 'Use lower-case letters, digits, dots, dashes and underscores (up to 63), starting with a letter or digit.';
  return null;
}

export const AUTH_LABEL: Record<RepositoryAuthKind, string> = {
  none: 'No credentials',
  https_token: 'HTTPS token',
  ssh_key: 'SSH deploy key',
};

export const REVIEW_STATUS_LABEL: Record<ReviewStatus, string> = {
  none: 'No changes',
  ready_for_review: 'Ready for review',
  merged: 'Merged',
  discarded: 'Discarded',
};

export const CHANGE_STATUS_LABEL: Record<ChangeStatus, string> = { added: 'added', modified: 'modified', deleted: 'deleted', renamed: 'renamed' };
/** One letter per status, as `git status --short` shows them. */
export const CHANGE_STATUS_LETTER: Record<ChangeStatus, string> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' };

/** Where a comment on this diff line lands: removed lines by their old number, the rest by their new one. */
export function commentTarget(line: DiffLine): { side: 'new' | 'old'; line: number } | null {
  if (line.kind === 'del') return line.oldLine !== undefined ? { side: 'old', line: line.oldLine } : null;
  return line.newLine !== undefined ? { side: 'new', line: line.newLine } : null;
}

export function commentKey(comment: Pick<ReviewComment, 'path' | 'side' | 'line'>): string {
  return `${comment.side}:${comment.line}:${comment.path}`;
}

/** Comments in reading order: by file, then line, old side before new on the same number. */
export function sortComments(comments: ReviewComment[]): ReviewComment[] {
  return [...comments].sort((a, b) => (a.path === b.path ? a.line - b.line || (a.side === b.side ? 0 : a.side === 'old' ? -1 : 1) : a.path < b.path ? -1 : 1));
}

/** The short form of a commit id shown next to branch names. */
export function shortCommit(sha: string | null | undefined): string | null {
  return sha ? sha.slice(0, 8) : null;
}

/** Which URLs each way in accepts (the API says the same): a token only over https, a deploy key only over ssh. */
export function repositoryUrlProblem(url: string, auth: RepositoryAuthKind): string | null {
  const value = url.trim();
  if (!value) return 'Paste the URL you would give `git clone`.';
  const ssh = /^ssh:\/\//.test(value) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/.test(value);
  if (auth === 'https_token' && !value.startsWith('https://')) return 'A token is only sent over https://: use the https:// clone URL.';
  if (auth === 'ssh_key' && !ssh) return 'A deploy key needs an SSH URL, like git@github.com:org/repo.git.';
  if (/^(https?|ssh):\/\/[^/@]*:[^/@]*@/.test(value)) return 'Leave the token out of the URL: choose HTTPS token below and paste it there.';
  return null;
}
