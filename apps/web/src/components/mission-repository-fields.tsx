'use client';

import { useApiQuery } from '../lib/queries';
import type { Repository } from '../lib/review-types';
import { repositoriesKey } from './repositories-panel';
import { inputClass } from './ui';

export interface RepositoryChoice {
  repositoryId: string;
  baseBranch: string;
}

export const NO_REPOSITORY: RepositoryChoice = { repositoryId: '', baseBranch: '' };

/** What CreateMissionBody gets from the choice: nothing without a repository. */
export function repositoryChoiceToBody(choice: RepositoryChoice): { repositoryId?: string; baseBranch?: string } {
  if (!choice.repositoryId) return {};
  return { repositoryId: choice.repositoryId, ...(choice.baseBranch.trim() ? { baseBranch: choice.baseBranch.trim() } : {}) };
}

/**
 * Which of the workspace's repositories the mission works on, and the branch its own branch
 * starts from. Shows nothing for a workspace without repositories.
 */
export function MissionRepositoryFields({ workspaceId, value, onChange }: { workspaceId: string; value: RepositoryChoice; onChange(next: RepositoryChoice): void }) {
  const query = useApiQuery<{ repositories: Repository[] }>(repositoriesKey(workspaceId), workspaceId ? `/workspaces/${encodeURIComponent(workspaceId)}/repositories` : null, { staleTime: 10_000 });
  const repositories = query.data?.repositories ?? [];
  if (repositories.length === 0) return null;
  const selected = repositories.find((repo) => repo.id === value.repositoryId) ?? null;
  return (
    <div className="grid gap-3 sm:grid-cols-2" data-testid="mission-repository">
      <div className="space-y-1">
        <label htmlFor="mission-repository" className="block text-sm font-medium">
          Repository
        </label>
        <select
          id="mission-repository"
          className={inputClass}
          value={value.repositoryId}
          onChange={(event) => {
            const repo = repositories.find((candidate) => candidate.id === event.target.value);
            onChange({ repositoryId: repo?.id ?? '', baseBranch: repo?.defaultBranch ?? '' });
          }}
          aria-describedby="mission-repository-hint"
        >
          <option value="">None (no branch, no review)</option>
          {repositories.map((repo) => (
            <option key={repo.id} value={repo.id} disabled={repo.status !== 'ready'}>
              {repo.name}
              {repo.status === 'ready' ? '' : ` (${repo.status})`}
            </option>
          ))}
        </select>
        <p id="mission-repository-hint" className="text-xs text-muted">
          {selected ? `Works on its own branch garrison/<id> in a separate worktree; you review the diff when it ends.` : 'Pick one to get the mission’s changes on a branch to review.'}
        </p>
      </div>
      {selected ? (
        <div className="space-y-1">
          <label htmlFor="mission-base-branch" className="block text-sm font-medium">
            Base branch
          </label>
          <input
            id="mission-base-branch"
            className={`${inputClass} font-mono`}
            value={value.baseBranch}
            onChange={(event) => onChange({ ...value, baseBranch: event.target.value })}
            placeholder={selected.defaultBranch ?? 'the default branch'}
            spellCheck={false}
            autoComplete="off"
            aria-describedby="mission-base-branch-hint"
          />
          <p id="mission-base-branch-hint" className="text-xs text-muted">
            The branch it starts from and merges back into.
          </p>
        </div>
      ) : null}
    </div>
  );
}
