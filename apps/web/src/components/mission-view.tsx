'use client';

import { isTerminalStatus } from '@garrison/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { Workspace } from '../lib/api-types';
import { firstLine } from '../lib/format';
import type { MissionDetail } from '../lib/mission-detail-types';
import { loginPath, missionPath } from '../lib/paths';
import { wasSignedIn } from '../lib/signed-in-flag';
import { pendingRequests } from '../lib/pending-requests';
import { queryKeys, useApiMutation, useApiQuery } from '../lib/queries';
import { useMissionStream } from '../lib/use-mission-stream';
import { ConnectionIndicator } from './connection-indicator';
import { EventLog } from './event-log';
import { LoadFailed } from './load-failed';
import { MissionConversation } from './mission-conversation';
import { MissionHeader } from './mission-header';
import { MissionSidePanel } from './mission-side-panel';
import { ErrorNote, Loading } from './ui';

const StableEventLog = memo(EventLog);

export function MissionView({ missionId }: { missionId: string }) {
  const router = useRouter();
  const client = useQueryClient();
  const toLogin = useCallback(() => router.replace(loginPath(missionPath(missionId), wasSignedIn() ? 'expired' : undefined)), [router, missionId]);
  // The log connects at once, in parallel with loading the mission itself.
  const stream = useMissionStream(missionId, toLogin);
  const path = `/missions/${encodeURIComponent(missionId)}`;
  const missionQuery = useApiQuery<MissionDetail>(queryKeys.mission(missionId), path, {
    // A repository mission's review state is settled just after it ends: look again until it is.
    refetchInterval: (state) => {
      const data = state.state.data;
      return data?.branch && data.reviewStatus === 'none' && data.endedAt && Date.now() - Date.parse(data.endedAt) < 60_000 ? 3_000 : false;
    },
  });
  const mission = missionQuery.data ?? null;
  const workspaceId = mission?.workspaceId ?? null;
  const workspace = useApiQuery<Workspace>(queryKeys.workspace(workspaceId ?? ''), workspaceId ? `/workspaces/${encodeURIComponent(workspaceId)}` : null).data ?? null;
  const [now, setNow] = useState(() => Date.now());

  // The header follows `mission.status` events; a status newer than the loaded row also brings
  // the fields only the row has (endedAt, exitCode, attempts, usage) up to date.
  const lastStatus = stream.log.lastStatus;
  const live = mission && lastStatus && lastStatus.seq > mission.lastSeq ? lastStatus : null;
  const liveSeq = live?.seq ?? 0;
  useEffect(() => {
    if (liveSeq > 0) void client.invalidateQueries({ queryKey: queryKeys.mission(missionId) });
  }, [liveSeq, client, missionId]);

  const status = live?.info.status ?? mission?.status ?? 'queued';
  const terminal = isTerminalStatus(status);
  useEffect(() => {
    if (terminal) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [terminal]);

  useEffect(() => {
    if (mission) document.title = `${firstLine(mission.prompt, 60) || 'Mission'} · Garrison`;
  }, [mission]);

  const cancel = useApiMutation<void, MissionDetail>({ method: 'POST', path: () => `${path}/cancel`, invalidate: [queryKeys.mission(missionId), queryKeys.missions] });
  const retry = useApiMutation<void, MissionDetail>({
    method: 'POST',
    path: () => `${path}/retry`,
    invalidate: [queryKeys.mission(missionId), queryKeys.missions],
    onSuccess: (created) => router.push(missionPath(created.id)),
  });
  const actionError = cancel.error?.message ?? retry.error?.message ?? null;

  const pending = useMemo(() => pendingRequests(stream.log.blocks), [stream.log.blocks]);

  if (missionQuery.error && !mission) return <LoadFailed what="mission" error={missionQuery.error} />;

  return (
    <div className="grid gap-4">
      {mission ? (
        <MissionHeader
          mission={mission}
          status={status}
          reason={live ? live.info.reason : mission.statusReason}
          exitCode={live?.info.exitCode ?? mission.exitCode}
          workspace={workspace}
          now={now}
          canceling={cancel.isPending}
          retrying={retry.isPending || retry.isSuccess}
          actionError={actionError}
          onCancel={() => {
            retry.reset();
            cancel.mutate();
          }}
          onRetry={() => {
            cancel.reset();
            retry.mutate();
          }}
        />
      ) : (
        <div className="rounded-lg border border-border bg-panel p-4">
          <Loading label="Loading mission…" />
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_19rem]">
        <div className="grid min-w-0 content-start gap-4">
          {mission ? (
            <MissionConversation
              missionId={missionId}
              agent={mission.agent}
              status={status}
              resumable={mission.resumable}
              approvals={pending.approvals}
              questions={pending.questions}
              onChanged={() => void client.invalidateQueries({ queryKey: queryKeys.mission(missionId) })}
            />
          ) : null}
          <section className="grid gap-2" aria-labelledby="log-heading">
            <div className="flex flex-wrap items-center gap-3">
              <h2 id="log-heading" className="text-base font-semibold">
                Work log
              </h2>
              <span className="text-sm text-muted tabular-nums" data-testid="event-count">
                {stream.log.shownSeq.toLocaleString('en-US')} {stream.log.shownSeq === 1 ? 'event' : 'events'}
              </span>
              <span className="ml-auto">
                <ConnectionIndicator state={stream.connection} />
              </span>
            </div>
            <ErrorNote>{stream.problem?.message}</ErrorNote>
            {mission?.eventsPrunedAt ? (
              <p className="text-sm text-muted" data-testid="events-pruned">
                Older events were deleted on {new Date(mission.eventsPrunedAt).toLocaleDateString()} (event retention); how the mission ended is kept.
              </p>
            ) : null}
            <StableEventLog blocks={stream.log.blocks} ended={terminal} />
          </section>
        </div>
        <MissionSidePanel missionId={missionId} agent={mission?.agent ?? null} active={!terminal} />
      </div>
    </div>
  );
}
