import type { MissionAttemptView, MissionFileTouch, MissionStatus } from '@garrison/core';
import type { Mission } from './api-types';
import type { FileChange, MissionReviewFields } from './review-types';

/** GET /api/v1/missions/:id: the row plus what only the mission's own page shows. */
export interface MissionDetail extends Mission, MissionReviewFields {
  model: string | null;
  policy: string;
  limits: Record<string, number>;
  authorId: string | null;
  /** The mission this one retries, if it is a retry. */
  retryOfId: string | null;
  /** Missions started as retries of this one, oldest first. */
  retries: Array<{ id: string; status: MissionStatus; createdAt: string }>;
  queuePosition: number | null;
}

/** GET /api/v1/missions/:id/attempts. */
export interface MissionAttempts {
  attempts: MissionAttemptView[];
}

/** GET /api/v1/missions/:id/files: from the agent's tool calls, sorted by path, paged. */
export interface MissionFilesPage {
  files: MissionFileTouch[];
  total: number;
  nextAfter: string | null;
  source: 'tool_calls';
}

/** The same for a repository mission that has ended: what git says its branch changed. */
export interface MissionGitFilesPage {
  files: FileChange[];
  total: number;
  nextAfter: string | null;
  source: 'git';
}

/** GET /api/v1/missions/:id/usage: model calls as the gateway metered them. */
export interface MissionUsage {
  total: { calls: number; inputTokens: number; outputTokens: number; cacheTokens: number; costUsd: number };
  calls: Array<{ model: string | null; inputTokens: number; outputTokens: number; costUsd: number; durationMs: number | null; at: string }>;
}
