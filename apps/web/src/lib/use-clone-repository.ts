'use client';

import { queryKeys, useApiMutation } from './queries';
import type { Repository } from './review-types';

/**
 * `POST /workspaces/:id/repositories/:repoId/clone`: clones a repository that waits for its deploy
 * key, or retries a failed clone, with the same credentials.
 */
export function useCloneRepository(workspaceId: string, onSuccess?: (repository: Repository) => void) {
  return useApiMutation<Repository, { repository: Repository }>({
    method: 'POST',
    path: (repo) => `/workspaces/${encodeURIComponent(workspaceId)}/repositories/${encodeURIComponent(repo.id)}/clone`,
    invalidate: [queryKeys.workspace(workspaceId)],
    onSuccess: (result) => onSuccess?.(result.repository),
  });
}
