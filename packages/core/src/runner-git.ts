/**
 * What the worker asks `runner git` inside a workspace container, and what it answers. Kept free
 * of zod like runner-constants: the runner bundle stays lean. The request arrives as one JSON line
 * on stdin (never in argv or the exec's env, where `docker inspect` could show a credential).
 */

export const REPOS_DIR = '/workspace/repos';
export const WORKTREES_DIR = '/workspace/.garrison/worktrees';

/** A repository's directory name under /workspace/repos. */
export const REPOSITORY_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The credential for one git process: a token sent as an HTTP header, or an SSH private key. */
export type GitCredential = { kind: 'https_token'; token: string } | { kind: 'ssh_key'; privateKey: string };

export type FileChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  path: string;
  oldPath?: string;
  status: FileChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface DiffLine {
  kind: 'context' | 'add' | 'del';
  oldLine?: number;
  newLine?: number;
  text: string;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface DiffFile extends FileChange {
  hunks: DiffHunk[];
  /** The file's diff passed the per-file byte cap; the hunks shown are its beginning. */
  truncated?: boolean;
}

/** Bytes of one file's diff text that are parsed into hunks; the rest is marked truncated. */
export const DIFF_FILE_MAX_BYTES = 256 * 1024;

export type RunnerGitRequest =
  | { op: 'clone'; name: string; url: string; branch?: string; credential?: GitCredential }
  | { op: 'worktree'; repo: string; missionShort: string; branch: string; base: string; credential?: GitCredential }
  /** Commits what the agent left uncommitted, then reports the change set against the merge base. */
  | { op: 'settle'; repo: string; worktree: string; base: string; message: string }
  | { op: 'diff'; repo: string; worktree: string; branch: string; base: string; paths?: string[]; cursor: number; limit: number }
  | { op: 'merge'; repo: string; branch: string; base: string; mode: 'ff' | 'merge'; message: string }
  | { op: 'push'; repo: string; branch: string; remote: string; credential?: GitCredential }
  | { op: 'discard'; repo: string; worktree: string; branch: string }
  | { op: 'remove'; repo: string };

export type RunnerGitErrorCode = 'git_failed' | 'merge_conflict' | 'not_fast_forward' | 'not_found' | 'invalid_input' | 'nothing_to_merge';

export type RunnerGitAnswer =
  | { ok: false; code: RunnerGitErrorCode; message: string; files?: string[] }
  | { ok: true; op: 'clone'; defaultBranch: string }
  | { ok: true; op: 'worktree'; path: string; baseCommit: string }
  | { ok: true; op: 'settle'; committed: boolean; headCommit: string; files: FileChange[] }
  | { ok: true; op: 'diff'; files: DiffFile[]; total: number; nextCursor: number | null }
  | { ok: true; op: 'merge'; commit: string; fastForward: boolean }
  | { ok: true; op: 'push'; remote: string; branch: string }
  | { ok: true; op: 'discard' }
  | { ok: true; op: 'remove' };

/** `garrison/<short>`: the short id is the mission id's random tail, unique enough within a workspace. */
export function missionShortId(missionId: string): string {
  return missionId.slice(-10);
}

export function missionBranch(missionId: string): string {
  return `garrison/${missionShortId(missionId)}`;
}
