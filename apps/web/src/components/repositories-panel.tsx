'use client';

import { useState } from 'react';
import { queryKeys, useApiMutation, useApiQuery } from '../lib/queries';
import { AUTH_LABEL } from '../lib/review-format';
import type { Repository, RepositoryStatus } from '../lib/review-types';
import { useCloneRepository } from '../lib/use-clone-repository';
import { useCanWrite } from '../lib/use-role';
import { AddRepositoryDialog } from './add-repository-dialog';
import { CopyText } from './copy-text';
import { DeployKeyHelp } from './deploy-key-help';
import { Button, ConfirmDialog, EmptyState, ErrorNote, Loading, Panel, cx } from './ui';

const STATUS_LABEL: Record<RepositoryStatus, string> = {
  awaiting_key: 'awaiting deploy key',
  cloning: 'cloning…',
  ready: 'ready',
  failed: 'failed',
};

const STATUS_TONE: Record<RepositoryStatus, string> = {
  awaiting_key: 'bg-subtle text-muted border-border',
  cloning: 'bg-warn-bg text-warn border-warn/30',
  ready: 'bg-ok/15 text-ok border-ok/30',
  failed: 'bg-danger-bg text-danger border-danger/40',
};

export function repositoriesKey(workspaceId: string) {
  return [...queryKeys.workspace(workspaceId), 'repositories'] as const;
}

/** The git repositories cloned into a workspace: add one (with its credentials), see its clone, remove it. */
export function RepositoriesPanel({ workspaceId, canAdd }: { workspaceId: string; canAdd: boolean }) {
  const canWrite = useCanWrite() !== false;
  const query = useApiQuery<{ repositories: Repository[] }>(repositoriesKey(workspaceId), `/workspaces/${encodeURIComponent(workspaceId)}/repositories`, {
    // The team room reports workspace changes; while a clone runs, poll as well.
    refetchInterval: (state) => (state.state.data?.repositories.some((repo) => repo.status === 'cloning') ? 2_000 : false),
  });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Repository | null>(null);
  const remove = useApiMutation<Repository, unknown>({
    method: 'DELETE',
    path: (repo) => `/workspaces/${encodeURIComponent(workspaceId)}/repositories/${encodeURIComponent(repo.id)}`,
    invalidate: [queryKeys.workspace(workspaceId)],
    onSuccess: () => setRemoving(null),
  });
  const clone = useCloneRepository(workspaceId);
  const repositories = query.data?.repositories ?? [];
  const addButton = canWrite ? (
    <Button size="sm" variant="primary" onClick={() => setAdding(true)} disabled={!canAdd} title={canAdd ? undefined : 'Start the workspace to clone into it.'}>
      Add repository
    </Button>
  ) : null;

  return (
    <Panel id="workspace-repositories" title="Repositories" actions={addButton}>
      {query.isPending ? <Loading label="Loading repositories…" /> : null}
      <ErrorNote>{query.error ? `Could not load the repositories: ${query.error.message} Reload the page to try again.` : null}</ErrorNote>
      {query.data && repositories.length === 0 ? (
        <EmptyState title="No repository yet">
          {canWrite
            ? 'Add a git repository and missions can work on it, each on a branch of its own that you review before it is merged.'
            : 'Members of the team add git repositories here; missions then work on their own branches.'}
        </EmptyState>
      ) : null}
      {repositories.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="repositories-table">
            <thead>
              <tr className="border-b border-border text-left text-xs text-muted">
                <th scope="col" className="py-1.5 pr-3 font-medium">Name</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">URL</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Access</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Branch</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Status</th>
                <th scope="col" className="py-1.5 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {repositories.map((repo) => (
                <tr key={repo.id} className="border-b border-border align-top last:border-0" data-repository={repo.name}>
                  <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">{repo.name}</td>
                  <td className="max-w-64 py-2 pr-3">
                    <span className="block truncate font-mono text-xs" title={repo.url}>
                      {repo.url}
                    </span>
                  </td>
                  <td className="py-2 pr-3 whitespace-nowrap">
                    {AUTH_LABEL[repo.authKind]}
                    {repo.authKind === 'ssh_key' && repo.publicKey ? (
                      <details className="mt-1 min-w-72 text-xs">
                        <summary className="cursor-pointer text-primary">Public key</summary>
                        <div className="mt-1.5 space-y-1.5 whitespace-normal">
                          <CopyText label={`Public deploy key of ${repo.name}`} text={repo.publicKey} />
                          <DeployKeyHelp />
                        </div>
                      </details>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">{repo.defaultBranch || '—'}</td>
                  <td className="py-2 pr-3">
                    <span
                      className={cx('inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap', STATUS_TONE[repo.status])}
                      data-testid="repository-status"
                      data-status={repo.status}
                      aria-live="polite"
                    >
                      {STATUS_LABEL[repo.status]}
                    </span>
                    {repo.error ? <p className="mt-1 max-w-72 text-xs break-words text-danger">{repo.error}</p> : null}
                    {repo.status === 'awaiting_key' ? <p className="mt-1 max-w-72 text-xs text-muted">Add its public key as a deploy key at the git host, then press Clone.</p> : null}
                    {clone.error && clone.variables?.id === repo.id ? <p className="mt-1 max-w-72 text-xs break-words text-danger" role="alert">Could not start the clone: {clone.error.message}</p> : null}
                  </td>
                  <td className="py-2 text-right whitespace-nowrap">
                    {canWrite && (repo.status === 'awaiting_key' || repo.status === 'failed') ? (
                      <Button
                        size="sm"
                        variant={repo.status === 'awaiting_key' ? 'primary' : 'secondary'}
                        onClick={() => clone.mutate(repo)}
                        busy={clone.isPending && clone.variables?.id === repo.id}
                        disabled={!canAdd || (clone.isPending && clone.variables?.id === repo.id)}
                        title={canAdd ? undefined : 'Start the workspace to clone into it.'}
                        aria-label={`${repo.status === 'failed' ? 'Retry clone of' : 'Clone'} ${repo.name}`}
                      >
                        {repo.status === 'failed' ? 'Retry clone' : 'Clone'}
                      </Button>
                    ) : null}
                    {canWrite ? (
                      <Button size="sm" variant="quiet" onClick={() => setRemoving(repo)} aria-label={`Remove ${repo.name}`}>
                        Remove
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <AddRepositoryDialog workspaceId={workspaceId} open={adding} onOpenChange={setAdding} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title={`Remove ${removing?.name ?? 'the repository'}?`}
        description={
          <>
            Its checkout under <code className="font-mono">/workspace/repos/{removing?.name}</code> and its stored credentials are deleted. Branches already pushed to the remote stay there.
          </>
        }
        confirmLabel="Remove repository"
        danger
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Panel>
  );
}
