'use client';

import type { MissionStatus, Overview, OverviewMission, WorkspaceStatus } from '@garrison/core';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { formatSeconds, formatUsd } from '../lib/chart-scale';
import { describeReason, formatRelative, statusLabel } from '../lib/format';
import { missionPath, workspacePath } from '../lib/paths';
import { queryKeys, useApiQuery } from '../lib/queries';
import { CostChart, DurationChart, OutcomesChart } from './charts/daily-charts';
import { HostsPanel } from './hosts-panel';
import { StatusBadge } from './status-badge';
import { EmptyState, ErrorNote, Loading, PageHeader, Panel } from './ui';

const WAITING: readonly MissionStatus[] = ['waiting_approval', 'waiting_input'];
const WORKSPACE_ORDER: readonly WorkspaceStatus[] = ['running', 'creating', 'ready', 'paused', 'stopped', 'error'];

/** Ticks every few seconds so "since" and "last seen" stay true without refetching. */
function useNow(intervalMs = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function MissionList({ missions, now, testId }: { missions: OverviewMission[]; now: number; testId: string }) {
  return (
    <ul className="divide-y divide-border" data-testid={testId}>
      {missions.map((mission) => (
        <li key={mission.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" data-mission={mission.id}>
          <StatusBadge status={mission.status} />
          <Link href={missionPath(mission.id)} className="min-w-0 flex-1 truncate font-medium">
            {mission.title || <span className="font-mono">{mission.id}</span>}
          </Link>
          <span className="text-xs text-muted">
            {mission.agent} in{' '}
            <Link href={workspacePath(mission.workspaceId)} className="text-muted">
              {mission.workspaceName}
            </Link>{' '}
            · {WAITING.includes(mission.status) ? 'waiting' : statusLabel(mission.status)} for {formatSeconds(Math.max(0, Math.round((now - Date.parse(mission.since)) / 1000)))}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: number | string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-md bg-subtle px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="text-xs text-muted">{hint}</dd> : null}
    </div>
  );
}

function isNewTeam(overview: Overview): boolean {
  return overview.workspaces.total === 0 && overview.recent.length === 0 && overview.attention.length === 0 && overview.queue.queued === 0;
}

/** The team's home: what needs a person first, then what runs, what waits, what ended, and trends. */
export function OverviewView() {
  // Hosts report every 5 s; the rest also arrives live through the team room (AppShell).
  const query = useApiQuery<Overview>(queryKeys.overview, '/overview', { refetchInterval: 15_000 });
  const now = useNow();

  if (query.isPending) return <Loading label="Loading the overview…" />;
  if (query.isError && !query.data) {
    return (
      <>
        <PageHeader title="Overview" />
        <ErrorNote>Could not load the overview: {query.error.message} Reload the page, or check that the API is running.</ErrorNote>
      </>
    );
  }
  const overview = query.data;
  const waiting = overview.attention.filter((mission) => WAITING.includes(mission.status));
  const running = overview.attention.filter((mission) => !WAITING.includes(mission.status));

  return (
    <>
      <PageHeader
        title="Overview"
        description="What needs you, what is running, and how the last two weeks went."
        actions={
          <Link href="/missions" className="text-sm">
            All missions →
          </Link>
        }
      />
      {query.isError ? <ErrorNote className="mb-4">Showing the last answer: refreshing failed ({query.error.message}).</ErrorNote> : null}
      {isNewTeam(overview) ? (
        <div className="mb-5">
          <EmptyState
            title="Welcome to Garrison"
            action={
              <Link href="/workspaces" className="inline-flex h-9 items-center rounded-md bg-primary px-3.5 text-sm font-medium text-primary-fg no-underline hover:bg-primary-hover">
                Create a workspace
              </Link>
            }
          >
            Missions run inside a workspace: first create one, then dispatch a mission into it with <strong>New mission</strong> in the top bar (or press{' '}
            <kbd className="font-mono">n</kbd>). Its status, results and costs show up here.
          </EmptyState>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Panel id="needs-you" title={`Needs you${waiting.length ? ` (${waiting.length})` : ''}`}>
            {waiting.length === 0 ? (
              <p className="text-sm text-muted">Nothing is waiting for an approval or an answer.</p>
            ) : (
              <MissionList missions={waiting} now={now} testId="needs-you" />
            )}
          </Panel>
          <Panel id="running" title={`Running${running.length ? ` (${running.length})` : ''}`}>
            {running.length === 0 ? <p className="text-sm text-muted">No mission is running right now.</p> : <MissionList missions={running} now={now} testId="running" />}
          </Panel>
        </div>
        <div className="space-y-4">
          <Panel id="queue" title="Queue">
            <dl className="grid grid-cols-2 gap-2">
              <Stat label="Queued" value={overview.queue.queued} hint="your team's missions waiting to start" testId="queue-queued" />
              <Stat label="Starting" value={overview.queue.provisioning} hint="workspaces being prepared" testId="queue-provisioning" />
              {overview.queue.jobsWaiting !== null ? <Stat label="Jobs waiting" value={overview.queue.jobsWaiting} hint="whole installation" /> : null}
              {overview.queue.jobsActive !== null ? <Stat label="Jobs active" value={overview.queue.jobsActive} hint="whole installation" /> : null}
            </dl>
          </Panel>
          <Panel id="workspaces" title="Workspaces" actions={<Link href="/workspaces" className="text-sm">Manage</Link>}>
            {overview.workspaces.total === 0 ? (
              <p className="text-sm text-muted">
                No workspace yet. <Link href="/workspaces">Create one</Link> to run missions.
              </p>
            ) : (
              <>
                <ul className="flex flex-wrap gap-1.5" data-testid="workspace-states">
                  {WORKSPACE_ORDER.filter((status) => overview.workspaces.byStatus[status]).map((status) => (
                    <li key={status} className="rounded-full bg-subtle px-2.5 py-0.5 text-xs" data-status={status}>
                      <strong className="tabular-nums">{overview.workspaces.byStatus[status]}</strong> {status}
                    </li>
                  ))}
                </ul>
                <ul className="mt-2 divide-y divide-border text-sm">
                  {overview.workspaces.recent.map((workspace) => (
                    <li key={workspace.id} className="flex items-center justify-between gap-2 py-1.5">
                      <Link href={workspacePath(workspace.id)} className="truncate">
                        {workspace.name}
                      </Link>
                      <span className="text-xs text-muted">{workspace.status}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Panel>
        </div>
      </div>

      <section aria-labelledby="trends-title" className="mt-4">
        <h2 id="trends-title" className="mb-2 text-base font-semibold">
          Last 14 days
        </h2>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          <OutcomesChart daily={overview.daily} />
          <DurationChart daily={overview.daily} />
          <CostChart daily={overview.daily} />
        </div>
      </section>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Panel id="recent" title="Recent results">
          {overview.recent.length === 0 ? (
            <p className="text-sm text-muted">No mission has ended yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="recent-results">
                <thead className="text-left text-xs text-muted">
                  <tr>
                    <th scope="col" className="py-1 pr-2 font-medium">Status</th>
                    <th scope="col" className="py-1 pr-2 font-medium">Mission</th>
                    <th scope="col" className="py-1 pr-2 text-right font-medium">Duration</th>
                    <th scope="col" className="py-1 text-right font-medium">Cost</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-border">
                  {overview.recent.map((result) => (
                    <tr key={result.id}>
                      <td className="py-1.5 pr-2 align-top">
                        <StatusBadge status={result.status} />
                      </td>
                      <td className="max-w-0 py-1.5 pr-2">
                        <Link href={missionPath(result.id)} className="block truncate">
                          {result.title || result.id}
                        </Link>
                        <span className="block truncate text-xs text-muted">
                          {result.workspaceName} · {result.agent}
                          {result.statusReason ? ` · ${describeReason(result.statusReason)}` : ''}
                          {result.endedAt ? ` · ${formatRelative(result.endedAt, now)}` : ''}
                        </span>
                      </td>
                      <td className="py-1.5 pr-2 text-right tabular-nums">{formatSeconds(result.durationS)}</td>
                      <td className="py-1.5 text-right tabular-nums">{formatUsd(result.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <HostsPanel hosts={overview.hosts} now={now} />
      </div>
    </>
  );
}
