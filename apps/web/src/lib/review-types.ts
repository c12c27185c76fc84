/**
 * Repositories and review as the dashboard reads them (issue 9); the shapes are the API's, from
 * packages/core/src/review-contracts.ts.
 */
import type { DiffFile, FileChange, RepositoryAuth, RepositoryView, ReviewStatus } from '@garrison/core';

export type { DiffFile, DiffHunk, DiffLine, FileChange, FileChangeStatus as ChangeStatus, RepositoryStatus, ReviewStatus } from '@garrison/core';
export type Repository = RepositoryView;
export type RepositoryAuthKind = RepositoryView['authKind'];

export interface CreateRepositoryBody {
  name: string;
  url: string;
  auth: RepositoryAuth;
  defaultBranch?: string;
}

/** The review fields of GET /api/v1/missions/:id (null/none for a mission without a repository). */
export interface MissionReviewFields {
  repositoryId?: string | null;
  reviewStatus?: ReviewStatus;
  branch?: string | null;
  baseBranch?: string | null;
  baseCommit?: string | null;
  worktreePath?: string | null;
  pushedAt?: string | null;
  filesChanged?: FileChange[] | null;
}

/** GET /api/v1/missions/:id/diff?cursor=&limit=&path=. */
export interface DiffPage {
  files: DiffFile[];
  nextCursor: string | number | null;
  total?: number;
}

/** One comment on a line, as POST /missions/:id/messages {kind:'review'} takes it. */
export interface ReviewComment {
  path: string;
  line: number;
  side: 'new' | 'old';
  body: string;
}
