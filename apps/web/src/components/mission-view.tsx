'use client';

import { isTerminalStatus } from '@garrison/core';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, callApi, messageOf } from '../lib/api';
import type { Mission, Workspace } from '../lib/api-types';
import { firstLine } from '../lib/format';
import { loginPath, missionPath } from '../lib/paths';
import { useMissionStream } from '../lib/use-mission-stream';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';
import { ConnectionIndicator } from './connection-indicator';
import { LoadFailed } from './load-failed';
import { EventLog } from './event-log';
import { MissionHeader } from './mission-header';
import { MissionConversation } from './mission-conversation';
import { pendingRequests } from '../lib/pending-requests';

const StableEventLog = memo(EventLog);

export function MissionView({ missionId }: { missionId: string }) {
  const router = useRouter();
  const redirectIfSignedOut = useSignInRedirect();
  const toLogin = useCallback(() => router.replace(loginPath(missionPath(missionId))), [router, missionId]);
  // The log connects at once, in parallel with loading the mission itself.
  const stream = useMissionStream(missionId, toLogin);

  const [mission, setMission] = useState<Mission | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [canceling, setCanceling] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const loadMission = useCallback(async () => {
    try {
      setMission(await callApi<Mission>(`/missions/${encodeURIComponent(missionId)}`));
      setLoadError(null);
    } catch (failure) {
      if (redirectIfSignedOut(failure)) return;
      setLoadError(failure instanceof ApiError ? failure : new ApiError(0, 'unknown', messageOf(failure)));
    }
  }, [missionId, redirectIfSignedOut]);

  useEffect(() => {
    void loadMission();
  }, [loadMission]);

  const workspaceId = mission?.workspaceId;
  useEffect(() => {
    if (!workspaceId) return;
    callApi<Workspace>(`/workspaces/${encodeURIComponent(workspaceId)}`).then(setWorkspace, () => setWorkspace(null));
  }, [workspaceId]);

  // The header follows `mission.status` events; a status newer than the loaded row also brings
  // the fields only the row has (startedAt, endedAt, exitCode) up to date.
  const lastStatus = stream.log.lastStatus;
  const live = mission && lastStatus && lastStatus.seq > mission.lastSeq ? lastStatus : null;
  const liveSeq = live?.seq ?? 0;
  useEffect(() => {
    if (liveSeq > 0) void loadMission();
  }, [liveSeq, loadMission]);

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

  async function cancel(): Promise<void> {
    setCanceling(true);
    setActionError(null);
    try {
      setMission(await callApi<Mission>(`/missions/${encodeURIComponent(missionId)}/cancel`, { method: 'POST' }));
    } catch (failure) {
      if (!redirectIfSignedOut(failure)) {
        setActionError(messageOf(failure));
        void loadMission();
      }
    } finally {
      setCanceling(false);
    }
  }

  const pending = useMemo(() => pendingRequests(stream.log.blocks), [stream.log.blocks]);

  if (loadError && !mission) return <LoadFailed what="mission" error={loadError} />;

  return (
    <div className="mission-page">
      {mission ? (
        <MissionHeader
          mission={mission}
          status={status}
          reason={live ? live.info.reason : mission.statusReason}
          exitCode={live?.info.exitCode ?? mission.exitCode}
          workspace={workspace}
          now={now}
          canceling={canceling}
          actionError={actionError}
          onCancel={() => void cancel()}
        />
      ) : (
        <div className="mission-header panel">
          <p className="muted">Loading mission…</p>
        </div>
      )}
      {mission ? (
        <MissionConversation
          missionId={missionId}
          agent={mission.agent}
          status={status}
          resumable={mission.resumable}
          approvals={pending.approvals}
          questions={pending.questions}
          onChanged={() => void loadMission()}
        />
      ) : null}
      <section className="log-section" aria-labelledby="log-heading">
        <div className="log-toolbar">
          <h2 id="log-heading">Events</h2>
          <span className="muted small" data-testid="event-count">
            {stream.log.shownSeq} {stream.log.shownSeq === 1 ? 'event' : 'events'}
          </span>
          <ConnectionIndicator state={stream.connection} />
        </div>
        {stream.problem ? (
          <p className="form-error" role="alert">
            {stream.problem.message}
          </p>
        ) : null}
        {mission?.eventsPrunedAt ? (
          <p className="muted small" data-testid="events-pruned">
            Older events were deleted on {new Date(mission.eventsPrunedAt).toLocaleDateString()} (event retention); how the mission ended is kept.
          </p>
        ) : null}
        <StableEventLog blocks={stream.log.blocks} />
      </section>
    </div>
  );
}
