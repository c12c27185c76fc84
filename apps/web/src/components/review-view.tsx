'use client';

import { AGENTS, isTerminalStatus, type AgentKind } from '@garrison/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { callApi, messageOf } from '../lib/api';
import { firstLine } from '../lib/format';
import type { MissionDetail } from '../lib/mission-detail-types';
import { missionPath } from '../lib/paths';
import { queryKeys, useApiQuery } from '../lib/queries';
import type { DiffFile, DiffPage, FileChange, ReviewComment } from '../lib/review-types';
import { useCanWrite } from '../lib/use-role';
import { useReviewDrafts } from '../lib/use-review-drafts';
import { DiffFileView } from './diff-file-view';
import { LoadFailed } from './load-failed';
import { MissionBranch } from './mission-branch';
import { ReviewCommentsPanel } from './review-comments-panel';
import { ReviewFileList } from './review-file-list';
import { ReviewOutcomes } from './review-outcomes';
import { Button, EmptyState, ErrorNote, Loading } from './ui';

const PAGE_FILES = 20;

export function fileAnchor(path: string): string {
  return `diff-${encodeURIComponent(path)}`;
}

/** A repository mission's review: the files it changed, their diff, line comments for the agent, and merge/push/discard. */
export function ReviewView({ missionId }: { missionId: string }) {
  const client = useQueryClient();
  const canWrite = useCanWrite() !== false;
  const base = `/missions/${encodeURIComponent(missionId)}`;
  const missionQuery = useApiQuery<MissionDetail>(queryKeys.mission(missionId), base, {
    // The review state is settled just after the mission ends: look again until it is.
    refetchInterval: (state) => {
      const data = state.state.data;
      return data?.branch && data.reviewStatus === 'none' && data.endedAt && Date.now() - Date.parse(data.endedAt) < 60_000 ? 3_000 : false;
    },
  });
  const mission = missionQuery.data ?? null;
  const reviewStatus = mission?.reviewStatus ?? 'none';
  const hasDiff = Boolean(mission?.branch) && (reviewStatus === 'ready_for_review' || reviewStatus === 'merged');
  const diff = useInfiniteQuery<DiffPage, Error, { pages: DiffPage[] }, readonly unknown[], string>({
    queryKey: [...queryKeys.mission(missionId), 'diff'],
    queryFn: ({ pageParam, signal }) => callApi<DiffPage>(`${base}/diff?cursor=${encodeURIComponent(pageParam)}&limit=${PAGE_FILES}`, { signal }),
    initialPageParam: '0',
    getNextPageParam: (last) => (last.nextCursor === null || last.nextCursor === undefined ? undefined : String(last.nextCursor)),
    enabled: hasDiff,
  });
  // Files opened from the list before their page was loaded, fetched one by one.
  const [extra, setExtra] = useState<Record<string, DiffFile>>({});
  const [jumpTo, setJumpTo] = useState<string | null>(null);
  const [jumpError, setJumpError] = useState<string | null>(null);
  const drafts = useReviewDrafts(missionId);

  useEffect(() => {
    if (mission) document.title = `Review: ${firstLine(mission.prompt, 50) || 'Mission'} · Garrison`;
  }, [mission]);

  const loadedFiles = useMemo(() => {
    const paged = diff.data?.pages.flatMap((page) => page.files) ?? [];
    const seen = new Set(paged.map((file) => file.path));
    return [...paged, ...Object.values(extra).filter((file) => !seen.has(file.path)).sort((a, b) => (a.path < b.path ? -1 : 1))];
  }, [diff.data, extra]);
  const loadedPaths = useMemo(() => new Set(loadedFiles.map((file) => file.path)), [loadedFiles]);
  const changed: FileChange[] = mission?.filesChanged ?? loadedFiles;

  // Scroll once the file asked for is on the page.
  useEffect(() => {
    if (!jumpTo || !loadedPaths.has(jumpTo)) return;
    const section = document.getElementById(fileAnchor(jumpTo));
    section?.scrollIntoView({ block: 'start' });
    section?.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
    setJumpTo(null);
  }, [jumpTo, loadedPaths]);

  const jump = useCallback(
    async (path: string) => {
      setJumpError(null);
      setJumpTo(path);
      if (loadedPaths.has(path)) return;
      try {
        const page = await callApi<DiffPage>(`${base}/diff?path=${encodeURIComponent(path)}&limit=1`);
        const file = page.files[0];
        if (file) setExtra((was) => ({ ...was, [file.path]: file }));
        else setJumpError(`The diff has no file ${path} any more; reload the page.`);
      } catch (failure) {
        setJumpError(`Could not load ${path}: ${messageOf(failure)}`);
      }
    },
    [base, loadedPaths],
  );

  if (missionQuery.error && !mission) return <LoadFailed what="mission" error={missionQuery.error} />;
  if (!mission) return <Loading label="Loading the review…" />;

  const agentResumes = AGENTS[mission.agent as AgentKind]?.resume === true;
  const canComment = canWrite && reviewStatus === 'ready_for_review';
  const blockedReason = !agentResumes
    ? `The ${mission.agent} agent cannot continue a session, so it cannot take comments: start a new mission on this branch’s base with what you want changed.`
    : !isTerminalStatus(mission.status)
      ? 'The agent is working; send your comments once this turn has ended.'
      : null;
  const totals = changed.reduce((sum, file) => ({ additions: sum.additions + file.additions, deletions: sum.deletions + file.deletions }), { additions: 0, deletions: 0 });
  const byPath = new Map<string, ReviewComment[]>();
  for (const comment of drafts.comments) byPath.set(comment.path, [...(byPath.get(comment.path) ?? []), comment]);

  return (
    <div className="grid gap-4">
      <header className="rounded-lg border border-border bg-panel p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-sm">
              <Link href={missionPath(mission.id)} className="text-primary underline-offset-2 hover:underline">
                ← Mission <code className="font-mono">{mission.id}</code>
              </Link>
            </p>
            <h1 className="mt-0.5 text-xl font-semibold break-words">Review: {firstLine(mission.prompt, 100) || 'Mission'}</h1>
            {changed.length > 0 ? (
              <p className="mt-1 text-sm text-muted" data-testid="review-totals">
                {changed.length === 1 ? '1 file changed' : `${changed.length} files changed`},{' '}
                <span className="text-ok">+{totals.additions}</span> <span className="text-danger">−{totals.deletions}</span>
              </p>
            ) : null}
          </div>
          {canWrite ? <ReviewOutcomes mission={mission} /> : null}
        </div>
        <div className="mt-3">
          <MissionBranch mission={mission} showReviewLink={false} />
        </div>
      </header>
      {!mission.branch ? (
        <EmptyState title="Nothing to review here" action={<Link href={missionPath(mission.id)} className="text-primary underline">Back to the mission</Link>}>
          This mission did not run on a repository, so it has no branch. Add a repository on its workspace’s page and choose it in <strong>New mission</strong>: the mission then works on a branch of its own that you review here.
        </EmptyState>
      ) : reviewStatus === 'none' ? (
        isTerminalStatus(mission.status) ? (
          <EmptyState title="No changes to review">The mission ended without changing a file on its branch.</EmptyState>
        ) : (
          <Loading label="The agent is still working: its changes appear here when the mission ends." />
        )
      ) : (
        <div className="grid items-start gap-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
          <div className="grid gap-4 lg:sticky lg:top-4">
            <ReviewFileList files={changed} loaded={loadedPaths} commentsByPath={byPath} onOpen={(path) => void jump(path)} />
            {reviewStatus === 'ready_for_review' && canWrite ? (
              <ReviewCommentsPanel
                missionId={mission.id}
                comments={drafts.comments}
                blockedReason={blockedReason}
                onJump={(comment) => void jump(comment.path)}
                onSent={() => {
                  drafts.clear();
                  void client.invalidateQueries({ queryKey: queryKeys.mission(missionId) });
                }}
              />
            ) : null}
          </div>
          <section className="grid min-w-0 gap-4" aria-label="Diff">
            {reviewStatus === 'discarded' ? (
              <EmptyState title="Discarded">The branch and its worktree were deleted, so there is no diff to show. The list beside shows what the mission had changed.</EmptyState>
            ) : null}
            {hasDiff && diff.isPending ? <Loading label="Loading the diff…" /> : null}
            <ErrorNote>{diff.error ? `Could not load the diff: ${diff.error.message} Reload the page to try again.` : null}</ErrorNote>
            <ErrorNote>{jumpError}</ErrorNote>
            {hasDiff && diff.data && loadedFiles.length === 0 ? (
              <EmptyState title="No difference left">{reviewStatus === 'merged' ? `The branch is merged: ${mission.baseBranch ?? 'the base'} holds all of its changes.` : 'The branch has no change against its base.'}</EmptyState>
            ) : null}
            {loadedFiles.map((file) => (
              <DiffFileView
                key={file.path}
                file={file}
                anchorId={fileAnchor(file.path)}
                comments={byPath.get(file.path) ?? []}
                canComment={canComment}
                onSave={drafts.save}
                onRemove={drafts.remove}
              />
            ))}
            {diff.hasNextPage ? (
              <div className="flex items-center gap-3">
                <Button busy={diff.isFetchingNextPage} onClick={() => void diff.fetchNextPage()}>
                  Load more files
                </Button>
                <span className="text-sm text-muted">
                  {loadedFiles.length} of {changed.length} files shown
                </span>
              </div>
            ) : null}
          </section>
        </div>
      )}
    </div>
  );
}
