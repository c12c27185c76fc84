'use client';

import { isTerminalStatus } from '@garrison/core';
import { useState } from 'react';
import { ApiError } from '../lib/api';
import type { MissionDetail } from '../lib/mission-detail-types';
import { queryKeys, useApiMutation } from '../lib/queries';
import { Button, ConfirmDialog, Dialog, ErrorNote } from './ui';

type Outcome = 'merge' | 'push' | 'discard';

/** The files a refused merge would have conflicted in (the API's `details.files`). */
function conflictFiles(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.code !== 'merge_conflict') return null;
  const files = (error.details as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [];
}

/** Merge into the base branch (fast-forward or a merge commit), push the branch, or discard it: each asked first. */
export function ReviewOutcomes({ mission }: { mission: MissionDetail }) {
  const [asking, setAsking] = useState<Outcome | null>(null);
  const [mode, setMode] = useState<'ff' | 'merge'>('merge');
  const [done, setDone] = useState<string | null>(null);
  const base = `/missions/${encodeURIComponent(mission.id)}/review`;
  const invalidate = [queryKeys.mission(mission.id), queryKeys.missions, queryKeys.overview];
  const merge = useApiMutation<'ff' | 'merge', { commit: string; fastForward: boolean }>({
    method: 'POST',
    path: () => `${base}/merge`,
    body: (chosen) => ({ mode: chosen }),
    invalidate,
    onSuccess: (result) => {
      setAsking(null);
      setDone(`Merged into ${mission.baseBranch ?? 'the base branch'}${result.fastForward ? ' (fast-forward)' : ''} at ${result.commit.slice(0, 8)}.`);
    },
  });
  const push = useApiMutation<void, { remote: string; branch: string }>({
    method: 'POST',
    path: () => `${base}/push`,
    body: () => ({ remote: 'origin' }),
    invalidate,
    onSuccess: (result) => {
      setAsking(null);
      setDone(`Pushed ${result.branch} to ${result.remote}.`);
    },
  });
  const discard = useApiMutation<void, unknown>({
    method: 'POST',
    path: () => `${base}/discard`,
    body: () => ({}),
    invalidate,
    onSuccess: () => {
      setAsking(null);
      setDone('Discarded: the branch and its worktree are deleted.');
    },
  });
  const conflict = conflictFiles(merge.error);
  const ended = isTerminalStatus(mission.status);
  const ready = mission.reviewStatus === 'ready_for_review' && ended;

  function ask(outcome: Outcome): void {
    merge.reset();
    push.reset();
    discard.reset();
    setDone(null);
    setAsking(outcome);
  }

  return (
    <div className="grid justify-items-end gap-2">
      {!ended && mission.reviewStatus === 'ready_for_review' ? (
        <p className="max-w-xs text-right text-sm text-muted" data-testid="review-busy">
          The agent is working on the branch again; merge, push and discard come back when it ends.
        </p>
      ) : null}
      {ready || (ended && mission.reviewStatus === 'merged') ? (
        <div className="flex flex-wrap gap-2">
          {ready ? (
            <Button variant="primary" onClick={() => ask('merge')}>
              Merge…
            </Button>
          ) : null}
          <Button onClick={() => ask('push')}>Push branch</Button>
          {ready ? (
            <Button variant="danger" onClick={() => ask('discard')}>
              Discard
            </Button>
          ) : null}
        </div>
      ) : null}
      {done ? (
        <p className="text-sm text-ok" role="status" data-testid="review-outcome">
          {done}
        </p>
      ) : null}
      <Dialog
        open={asking === 'merge'}
        onOpenChange={(open) => !open && setAsking(null)}
        title={`Merge into ${mission.baseBranch ?? 'the base branch'}?`}
        description={
          <>
            Merges <code className="font-mono">{mission.branch}</code> into <code className="font-mono">{mission.baseBranch}</code> in the repository’s main checkout.
          </>
        }
      >
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            merge.mutate(mode);
          }}
        >
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium">How</legend>
            {(
              [
                ['merge', 'Merge commit', 'Always records a merge commit; works when the base moved on.'],
                ['ff', 'Fast-forward only', 'Moves the base to the branch’s last commit; refused if the base has commits the branch lacks.'],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className="flex cursor-pointer items-start gap-2 rounded-md border border-border p-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-subtle">
                <input type="radio" name="merge-mode" value={value} className="mt-0.5 accent-primary" checked={mode === value} onChange={() => setMode(value)} />
                <span>
                  <span className="font-medium">{label}</span>
                  <span className="block text-xs text-muted">{hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {conflict ? (
            <div role="alert" className="rounded-md border border-danger/40 bg-danger-bg px-3 py-2 text-sm text-danger" data-testid="merge-conflict">
              <p className="font-medium">The merge would conflict{conflict.length > 0 ? ' in:' : '.'}</p>
              {conflict.length > 0 ? (
                <ul className="my-1 list-disc pl-5 font-mono text-xs">
                  {conflict.map((file) => (
                    <li key={file}>{file}</li>
                  ))}
                </ul>
              ) : null}
              <p>Nothing was changed: the base branch, this branch and the checkout are as they were. Ask the agent to merge {mission.baseBranch ?? 'the base'} into its branch and resolve them, then merge again.</p>
            </div>
          ) : (
            <ErrorNote>{merge.error?.message}</ErrorNote>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setAsking(null)} autoFocus>
              Cancel
            </Button>
            <Button type="submit" variant="primary" busy={merge.isPending}>
              {merge.isPending ? 'Merging…' : 'Merge'}
            </Button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={asking === 'push'}
        onOpenChange={(open) => !open && setAsking(null)}
        title="Push the branch?"
        description={
          <>
            Pushes <code className="font-mono">{mission.branch}</code> to the repository’s <code className="font-mono">origin</code> with its stored credentials, for a pull request there. The review stays open here.
          </>
        }
        confirmLabel="Push"
        busy={push.isPending}
        error={push.error?.message}
        onConfirm={() => push.mutate()}
      />
      <ConfirmDialog
        open={asking === 'discard'}
        onOpenChange={(open) => !open && setAsking(null)}
        title="Discard these changes?"
        description={
          <>
            Deletes the branch <code className="font-mono">{mission.branch}</code> and its worktree. Commits not pushed anywhere are lost; the mission and its log stay.
          </>
        }
        confirmLabel="Discard changes"
        danger
        busy={discard.isPending}
        error={discard.error?.message}
        onConfirm={() => discard.mutate()}
      />
    </div>
  );
}
