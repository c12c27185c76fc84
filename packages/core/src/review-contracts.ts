import { z } from 'zod';
import { PostMessageBody } from './api-contracts.ts';
import { GitBranchName } from './git-ref.ts';
import { REPOSITORY_NAME } from './runner-git.ts';

/**
 * Issue 9, review: repositories of a workspace, a mission's branch and diff, review comments and
 * the outcomes (merge, push, discard). The contract the API, the worker and the dashboard share.
 *
 * Changes to the brief's contract (read these first):
 * - `GET /workspaces/:id/repositories` answers `{ repositories }`; POST answers 202 `{ repository }`.
 * - Diff paging: `cursor` is the index of the first file (as a string); `nextCursor` the next one or null.
 *   `limit` is 1..100 files (default 20). Files are sorted by path.
 * - Review messages: `comments[].side` defaults to `new`. The answer is the same as a follow-up
 *   (`{ messageId, delivery }`).
 * - Merge answers `{ reviewStatus: 'merged', commit, fastForward }`; push answers
 *   `{ reviewStatus, pushedAt, remote, branch }`; discard answers `{ reviewStatus: 'discarded' }`.
 * - Mission JSON gains `repositoryId, branch, baseBranch, baseCommit, worktreePath, reviewStatus,
 *   pushedAt, filesChanged`.
 * - A repository must be cloned (`status: ready`) before a mission may name it (409 repository_not_ready).
 * - Adding a repository needs a running workspace (409 invalid_workspace_state); DELETE answers
 *   `{ deleted: true }`, refuses while a mission still works in it (409 conflict) and removes the
 *   checkout when the workspace runs.
 * - The diff answer also carries `total` (files in the whole diff). Diff, merge, push and discard
 *   need the workspace running (409 invalid_workspace_state).
 * - Outcomes need the mission ended (409 mission_not_finished). Merge needs `ready_for_review`;
 *   `ff` that cannot fast-forward is 409 conflict; a conflict is 409 merge_conflict with
 *   `details.files`. Push works for `ready_for_review` and `merged`. Discard works for
 *   `ready_for_review` and `none` (a branch that changed nothing). Otherwise 409 not_in_review.
 * - `GET /missions/:id/files` of a repository mission answers FileChange entries, `source: 'git'`.
 * - An `ssh_key` repository is created `awaiting_key` (not cloned: the host does not know the key
 *   yet). `POST /workspaces/:id/repositories/:repoId/clone` (member+, audited `repository.clone`)
 *   answers 202 `{ repository }` in `cloning` and clones with the same key; it also retries a
 *   `failed` repository. Other states: 409 conflict. Needs the workspace running.
 */

export { REPOSITORY_NAME, REPOS_DIR, WORKTREES_DIR, DIFF_FILE_MAX_BYTES, missionBranch, missionShortId } from './runner-git.ts';
export type { DiffFile, DiffHunk, DiffLine, FileChange, FileChangeStatus } from './runner-git.ts';

export { GitBranchName } from './git-ref.ts';

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/;

function urlScheme(url: string): 'https' | 'http' | 'ssh' | 'file' | null {
  if (SCP_LIKE.test(url)) return 'ssh';
  const match = /^(https|http|ssh|file):\/\//.exec(url);
  return (match?.[1] as 'https' | 'http' | 'ssh' | 'file' | undefined) ?? null;
}

export const RepositoryUrl = z
  .string()
  .trim()
  .min(1, 'must be a git URL')
  .max(2000, 'must be at most 2000 characters')
  .refine((url) => !/\s/.test(url) && urlScheme(url) !== null, 'must be an https://, ssh://, git@host:path or file:// URL')
  // A token in the URL would be stored in clear and written into .git/config: it goes in auth.
  .refine((url) => !/^(https?|ssh):\/\/[^/@]*:[^/@]*@/.test(url), 'must not carry a password or token; give it as auth {kind: "https_token", token}');

export const RepositoryAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('https_token'), token: z.string().trim().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters') }),
  z.object({ kind: z.literal('ssh_key') }),
]);
export type RepositoryAuth = z.infer<typeof RepositoryAuth>;

export const CreateRepositoryBody = z
  .object({
    name: z.string().regex(REPOSITORY_NAME, 'must be a directory name of lower-case letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit'),
    url: RepositoryUrl,
    auth: RepositoryAuth.default({ kind: 'none' }),
    defaultBranch: GitBranchName.optional(),
  })
  .superRefine((body, ctx) => {
    const scheme = urlScheme(body.url);
    if (body.auth.kind === 'https_token' && scheme !== 'https') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'a token is only sent over https://; use an https:// URL' });
    }
    if (body.auth.kind === 'ssh_key' && scheme !== 'ssh') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'a deploy key needs an ssh:// or git@host:path URL' });
    }
  });
export type CreateRepositoryBody = z.infer<typeof CreateRepositoryBody>;

export const RepositoryStatus = z.enum(['awaiting_key', 'cloning', 'ready', 'failed']);
export type RepositoryStatus = z.infer<typeof RepositoryStatus>;

/** What the API shows of a repository: never the token or private key. */
export const RepositoryView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  url: z.string(),
  authKind: z.enum(['none', 'https_token', 'ssh_key']),
  /** For ssh_key: add it as a deploy key (with write access to push) on the git host. */
  publicKey: z.string().nullable(),
  defaultBranch: z.string().nullable(),
  status: RepositoryStatus,
  error: z.string().nullable(),
  /** Where it is checked out inside the workspace. */
  path: z.string(),
  createdAt: z.string(),
});
export type RepositoryView = z.infer<typeof RepositoryView>;

export const ReviewStatus = z.enum(['none', 'ready_for_review', 'merged', 'discarded']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const MissionDiffQuery = z.object({
  path: z.string().min(1).max(4096).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/, 'must be the nextCursor of the previous page')
    .default('0')
    .transform(Number),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
});
export type MissionDiffQuery = z.infer<typeof MissionDiffQuery>;

export const ReviewComment = z.object({
  path: z.string().trim().min(1, 'must name a file of the diff').max(4096),
  line: z.number({ error: 'must be a line number' }).int().min(1, 'must be a line number from 1'),
  side: z.enum(['new', 'old']).default('new'),
  body: z.string().trim().min(1, 'must not be empty').max(8000, 'must be at most 8000 characters'),
});
export type ReviewComment = z.infer<typeof ReviewComment>;

export const ReviewMessageBody = z.object({
  kind: z.literal('review'),
  comments: z.array(ReviewComment).min(1, 'must hold at least one comment').max(100, 'must hold at most 100 comments'),
  message: z.string().trim().max(8000, 'must be at most 8000 characters').optional(),
});
export type ReviewMessageBody = z.infer<typeof ReviewMessageBody>;

/** `POST /missions/:id/messages`: a plain follow-up `{text}` or review comments `{kind:'review'}`. */
export const MissionMessageBody = z.union([ReviewMessageBody, PostMessageBody]);
export type MissionMessageBody = z.infer<typeof MissionMessageBody>;

export const MergeReviewBody = z.object({ mode: z.enum(['ff', 'merge']).default('merge') });
export type MergeReviewBody = z.infer<typeof MergeReviewBody>;

export const PushReviewBody = z.object({
  remote: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a remote name like origin').default('origin'),
});
export type PushReviewBody = z.infer<typeof PushReviewBody>;

/**
 * The text the agent gets for review comments: each with file:line and the line it is about,
 * quoted, so the agent needs no diff viewer to know what was meant.
 */
export function formatReviewMessage(
  branch: string | null,
  comments: Array<ReviewComment & { quoted?: string | null }>,
  message?: string,
): string {
  const parts = [`Review comments on your changes${branch ? ` (branch ${branch})` : ''}. Address each one in the same branch, then commit.`];
  for (const comment of comments) {
    const where = `${comment.path}:${comment.line}${comment.side === 'old' ? ' (the line as it was before your change)' : ''}`;
    const quoted = comment.quoted != null ? `\n> ${comment.quoted}` : '';
    parts.push(`${where}${quoted}\n${comment.body}`);
  }
  if (message) parts.push(message);
  return parts.join('\n\n');
}

/** `workspace-git` queue (request/response, per host): payloads carry ids only. */
export const WorkspaceGitJob = z.discriminatedUnion('op', [
  z.object({ op: z.literal('clone'), repositoryId: z.string().min(1) }),
  z.object({ op: z.literal('remove'), repositoryId: z.string().min(1), workspaceId: z.string().min(1), name: z.string().regex(REPOSITORY_NAME) }),
  z.object({ op: z.literal('diff'), missionId: z.string().min(1), path: z.string().optional(), paths: z.array(z.string()).optional(), cursor: z.number().int().min(0), limit: z.number().int().min(1) }),
  z.object({ op: z.literal('merge'), missionId: z.string().min(1), mode: z.enum(['ff', 'merge']) }),
  z.object({ op: z.literal('push'), missionId: z.string().min(1), remote: z.string().min(1) }),
  z.object({ op: z.literal('discard'), missionId: z.string().min(1) }),
]);
export type WorkspaceGitJob = z.infer<typeof WorkspaceGitJob>;

export const GitErrorCode = z.enum(['git_failed', 'merge_conflict', 'not_fast_forward', 'not_found', 'invalid_input', 'nothing_to_merge', 'invalid_workspace_state']);
export type GitErrorCode = z.infer<typeof GitErrorCode>;

/** The worker's answer; failures a person can act on are answers, not thrown errors. */
export const WorkspaceGitResult = z.union([
  z.object({ ok: z.literal(false), code: GitErrorCode, message: z.string(), files: z.array(z.string()).optional() }),
  z.object({ ok: z.literal(true) }).passthrough(),
]);
export type WorkspaceGitResult = z.infer<typeof WorkspaceGitResult>;
