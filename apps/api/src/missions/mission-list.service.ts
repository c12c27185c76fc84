import type { ListMissionsQuery, MissionListExtras, MissionListPage } from '@garrison/core';
import { listMissionPage, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { presentMission } from './mission.service.ts';

/**
 * The missions board: one page of the team's missions, filtered, searched and sorted in SQL, each
 * row with its workspace's name and its author's email so the board needs no other call.
 */
export async function listTeamMissionPage(db: Db, caller: Caller, query: ListMissionsQuery) {
  const { rows, total } = await listMissionPage(db, {
    teamId: caller.teamId,
    workspaceId: query.workspaceId,
    statuses: query.status,
    agent: query.agent,
    authorId: query.authorId,
    reviewStatus: query.reviewStatus,
    q: query.q || undefined,
    sort: query.sort,
    order: query.order,
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  const now = Date.now();
  const missions = rows.map((row) => {
    const extras: MissionListExtras = {
      workspaceName: row.workspace.name,
      authorEmail: row.author?.email ?? null,
      durationS: row.startedAt ? Math.max(0, Math.round(((row.endedAt?.getTime() ?? now) - row.startedAt.getTime()) / 100) / 10) : null,
      updatedAt: row.updatedAt.toISOString(),
    };
    return { ...presentMission(row), ...extras };
  });
  const page: MissionListPage = { total, page: query.page, pageSize: query.pageSize, pageCount: Math.max(1, Math.ceil(total / query.pageSize)) };
  return { missions, ...page };
}
