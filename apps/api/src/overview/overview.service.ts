import {
  HEARTBEAT_INTERVAL_MS,
  HOST_STALE_INTERVALS,
  HostResources,
  TERMINAL_OUTCOMES,
  type MissionStatus,
  type Overview,
  type WorkspaceStatus,
} from '@garrison/core';
import { countQueuedMissions, dailySeries, listAttentionMissions, listRecentResults, listWorkerHosts, summarizeWorkspaces, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

export interface OverviewDeps {
  db: Db;
  /** The mission queue's BullMQ counts (every team's jobs); absent where the API has no queue handle. */
  missionQueueCounts?: () => Promise<{ waiting: number; active: number }>;
}

/** A prompt's first non-empty line, short enough for one row of a list. */
export function promptTitle(prompt: string): string {
  const line = prompt.split('\n').find((candidate) => candidate.trim().length > 0)?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Everything the overview page shows for the caller's team, in one answer. */
export async function describeOverview(deps: OverviewDeps, caller: Caller, now = new Date()): Promise<Overview> {
  const [attention, queued, workspaces, recent, daily, hosts, jobs] = await Promise.all([
    listAttentionMissions(deps.db, caller.teamId),
    countQueuedMissions(deps.db, caller.teamId),
    summarizeWorkspaces(deps.db, caller.teamId),
    listRecentResults(deps.db, caller.teamId),
    dailySeries(deps.db, caller.teamId),
    listWorkerHosts(deps.db),
    deps.missionQueueCounts ? deps.missionQueueCounts().catch(() => null) : Promise.resolve(null),
  ]);
  const staleBefore = now.getTime() - HOST_STALE_INTERVALS * HEARTBEAT_INTERVAL_MS;
  return {
    attention: attention.map((row) => ({
      id: row.id,
      status: row.status as MissionStatus,
      agent: row.agent,
      workspaceId: row.workspaceId,
      workspaceName: row.workspaceName,
      title: promptTitle(row.promptHead),
      since: row.updatedAt.toISOString(),
    })),
    queue: { ...queued, jobsWaiting: jobs?.waiting ?? null, jobsActive: jobs?.active ?? null },
    workspaces: {
      total: workspaces.counts.reduce((sum, entry) => sum + entry.count, 0),
      byStatus: Object.fromEntries(workspaces.counts.map((entry) => [entry.status, entry.count])),
      recent: workspaces.recent.map((row) => ({ id: row.id, name: row.name, status: row.status as WorkspaceStatus, lastActiveAt: row.lastActiveAt?.toISOString() ?? null })),
    },
    recent: recent.map((row) => ({
      id: row.id,
      status: row.status as MissionStatus,
      statusReason: row.statusReason,
      agent: row.agent,
      workspaceName: row.workspaceName,
      title: promptTitle(row.promptHead),
      endedAt: row.endedAt?.toISOString() ?? null,
      durationS: row.durationS === null ? null : Math.round(row.durationS * 10) / 10,
      costUsd: row.costUsd,
    })),
    daily: daily.map((row) => ({
      day: row.day,
      started: row.started,
      outcomes: Object.fromEntries(TERMINAL_OUTCOMES.map((outcome) => [outcome, row[outcome]])) as Overview['daily'][number]['outcomes'],
      durationMedianS: row.durationMedianS,
      durationP90S: row.durationP90S,
      costUsd: row.costUsd,
    })),
    hosts: hosts.map((host) => {
      const resources = HostResources.safeParse(host.resources);
      return {
        id: host.id,
        hostname: host.hostname,
        dockerVersion: host.dockerVersion,
        capacity: host.capacity,
        lastSeenAt: host.lastSeenAt.toISOString(),
        stale: host.lastSeenAt.getTime() < staleBefore,
        resources: resources.success ? resources.data : null,
      };
    }),
    generatedAt: now.toISOString(),
  };
}
