'use client';

import { useState } from 'react';
import type { MissionFileTouch } from '@garrison/core';
import { callApi, messageOf } from '../lib/api';
import { describeReason, formatClock, formatDuration } from '../lib/format';
import type { MissionAttempts, MissionFilesPage, MissionGitFilesPage, MissionUsage } from '../lib/mission-detail-types';
import { GitFilesList } from './git-files-list';
import { queryKeys, useApiQuery } from '../lib/queries';
import { StatusBadge } from './status-badge';
import { Button, ErrorNote, Loading, Panel } from './ui';

const KIND_LABEL = { start: 'started', resume: 'resumed its session', follow_up: 'follow-up' } as const;
/** While the mission works, what the side panel shows is refreshed this often (and on every status change). */
const LIVE_REFRESH_MS = 5_000;

function base(missionId: string): string {
  return `/missions/${encodeURIComponent(missionId)}`;
}

/** Attempts, usage and cost, files touched: the mission's facts beside its log. */
export function MissionSidePanel({ missionId, agent, active }: { missionId: string; agent: string | null; active: boolean }) {
  return (
    <aside className="grid content-start gap-4" aria-label="Mission details">
      <AttemptsPanel missionId={missionId} active={active} />
      <UsagePanel missionId={missionId} agent={agent} active={active} />
      <FilesPanel missionId={missionId} active={active} />
    </aside>
  );
}

function AttemptsPanel({ missionId, active }: { missionId: string; active: boolean }) {
  const query = useApiQuery<MissionAttempts>([...queryKeys.mission(missionId), 'attempts'], `${base(missionId)}/attempts`, { refetchInterval: active ? LIVE_REFRESH_MS : false });
  return (
    <Panel title="Attempts" id="mission-attempts">
      <div data-testid="attempts">
        {query.isPending ? <Loading label="Loading attempts…" /> : null}
        {query.error ? <ErrorNote>Could not load the attempts: {query.error.message} Reload the page to try again.</ErrorNote> : null}
        {query.data && query.data.attempts.length === 0 ? <p className="text-sm text-muted">None yet: the agent starts once a worker picks the mission up.</p> : null}
        {query.data && query.data.attempts.length > 0 ? (
          <ol className="grid gap-2">
            {query.data.attempts.map((attempt) => (
              <li key={attempt.number} className="rounded-md border border-border p-2 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">#{attempt.number}</span>
                  <StatusBadge status={attempt.status} />
                  <span className="text-xs text-muted">{attempt.kind ? KIND_LABEL[attempt.kind] : 'how it began was pruned'}</span>
                </div>
                <p className="mt-1 text-xs text-muted">
                  {formatClock(attempt.startedAt)}
                  {attempt.endedAt ? ` · ${formatDuration(attempt.startedAt, attempt.endedAt, Date.now()) ?? ''}` : ' · still running'}
                  {attempt.reason ? ` · ${describeReason(attempt.reason)}` : ''}
                </p>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </Panel>
  );
}

function UsagePanel({ missionId, agent, active }: { missionId: string; agent: string | null; active: boolean }) {
  const query = useApiQuery<MissionUsage>([...queryKeys.mission(missionId), 'usage'], `${base(missionId)}/usage`, { refetchInterval: active ? LIVE_REFRESH_MS : false });
  const total = query.data?.total;
  return (
    <Panel title="Usage and cost" id="mission-usage">
      {query.isPending ? <Loading label="Loading usage…" /> : null}
      {query.error ? <ErrorNote>Could not load the usage: {query.error.message}</ErrorNote> : null}
      {total && total.calls === 0 ? (
        <p className="text-sm text-muted">{agent === 'shell' ? 'A shell mission makes no model calls.' : 'No model calls yet: they appear here as the model gateway meters them.'}</p>
      ) : null}
      {total && total.calls > 0 ? (
        <dl className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-sm" data-testid="mission-usage">
          <dt className="text-muted">Cost</dt>
          <dd className="text-right font-medium tabular-nums">${total.costUsd.toFixed(4)}</dd>
          <dt className="text-muted">Model calls</dt>
          <dd className="text-right tabular-nums">{total.calls.toLocaleString('en-US')}</dd>
          <dt className="text-muted">Tokens in</dt>
          <dd className="text-right tabular-nums">{total.inputTokens.toLocaleString('en-US')}</dd>
          <dt className="text-muted">Tokens out</dt>
          <dd className="text-right tabular-nums">{total.outputTokens.toLocaleString('en-US')}</dd>
          {total.cacheTokens > 0 ? (
            <>
              <dt className="text-muted">Cached tokens</dt>
              <dd className="text-right tabular-nums">{total.cacheTokens.toLocaleString('en-US')}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </Panel>
  );
}

const OPERATION_LABEL: Record<MissionFileTouch['operation'], string> = { write: 'written', edit: 'edited', delete: 'deleted' };

function FilesPanel({ missionId, active }: { missionId: string; active: boolean }) {
  const query = useApiQuery<MissionFilesPage | MissionGitFilesPage>([...queryKeys.mission(missionId), 'files'], `${base(missionId)}/files`, { refetchInterval: active ? LIVE_REFRESH_MS : false });
  const [more, setMore] = useState<{ files: MissionFileTouch[]; nextAfter: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const toolFiles = query.data?.source === 'git' ? [] : (query.data?.files ?? []);
  const files = [...toolFiles, ...(more?.files ?? [])];
  const nextAfter = more ? more.nextAfter : (query.data?.nextAfter ?? null);

  async function loadMore(): Promise<void> {
    if (!nextAfter) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await callApi<MissionFilesPage>(`${base(missionId)}/files?after=${encodeURIComponent(nextAfter)}`);
      setMore((was) => ({ files: [...(was?.files ?? []), ...page.files], nextAfter: page.nextAfter }));
    } catch (failure) {
      setMoreError(`Could not load more files: ${messageOf(failure)}`);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <Panel title="Files touched" id="mission-files">
      {query.data?.source === 'git' ? (
        <GitFilesList missionId={missionId} files={query.data.files} total={query.data.total} />
      ) : (
        <div data-testid="files-touched">
          <p className="mb-2 text-xs text-muted">From the agent’s own write and edit tool calls, not from git: a file changed by a shell command does not show here.</p>
          {query.isPending ? <Loading label="Loading files…" /> : null}
          {query.error ? <ErrorNote>Could not load the files: {query.error.message}</ErrorNote> : null}
          {query.data && query.data.total === 0 ? <p className="text-sm text-muted">No file written or edited through the agent’s tools yet.</p> : null}
          {files.length > 0 ? (
            <ul className="grid gap-1 text-sm">
              {files.map((file) => (
                <li key={file.path} className="flex min-w-0 items-baseline gap-2" title={`${file.count} call${file.count === 1 ? '' : 's'}; last at event ${file.lastSeq}`}>
                  <code className="min-w-0 flex-1 truncate font-mono text-xs">{file.path}</code>
                  <span className="shrink-0 text-xs text-muted">
                    {OPERATION_LABEL[file.operation]}
                    {file.count > 1 ? ` ×${file.count}` : ''}
                  </span>
                  {file.failed > 0 ? <span className="shrink-0 text-xs text-danger">{file.failed} failed</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {query.data && query.data.total > files.length ? <p className="mt-2 text-xs text-muted">Showing {files.length} of {query.data.total.toLocaleString('en-US')} files.</p> : null}
          {nextAfter ? (
            <Button size="sm" className="mt-2" busy={loadingMore} onClick={() => void loadMore()}>
              Show more files
            </Button>
          ) : null}
          <ErrorNote className="mt-2">{moreError}</ErrorNote>
        </div>
      )}
    </Panel>
  );
}
