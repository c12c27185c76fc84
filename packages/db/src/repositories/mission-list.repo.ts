import type { MissionStatus } from '@garrison/core';
import type { Db } from '../client.ts';
import type { Mission } from '../generated/prisma/client.ts';

export interface MissionListFilter {
  teamId: string;
  workspaceId?: string;
  statuses?: MissionStatus[];
  agent?: string;
  authorId?: string;
  reviewStatus?: 'none' | 'ready_for_review' | 'merged' | 'discarded';
  /** Case-insensitive text in the prompt, or the start of a mission id. */
  q?: string;
  sort: 'created' | 'updated' | 'duration' | 'cost';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export type MissionListRow = Mission & { workspace: { name: string }; author: { email: string } | null };

/** Sort keys are fixed SQL, never from input; id breaks ties so pages never overlap. */
const SORT_SQL: Record<MissionListFilter['sort'], string> = {
  created: 'm."createdAt"',
  updated: 'm."updatedAt"',
  duration: `EXTRACT(EPOCH FROM (COALESCE(m."endedAt", now() AT TIME ZONE 'UTC') - m."startedAt"))`,
  cost: 'COALESCE(m."costUsd", 0)',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * One page of a team's missions and the count of all that match. The page's ids come from SQL
 * (duration is computed, so Prisma cannot sort by it); the rows, with workspace and author, from
 * one more query by id.
 */
export async function listMissionPage(db: Db, filter: MissionListFilter): Promise<{ rows: MissionListRow[]; total: number }> {
  const params: unknown[] = [filter.teamId];
  const where = ['m."teamId" = $1'];
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.workspaceId) where.push(`m."workspaceId" = ${add(filter.workspaceId)}`);
  if (filter.statuses?.length) where.push(`m.status = ANY(${add(filter.statuses)}::"MissionStatus"[])`);
  if (filter.agent) where.push(`m.agent = ${add(filter.agent)}`);
  if (filter.authorId) where.push(`m."authorId" = ${add(filter.authorId)}`);
  if (filter.reviewStatus) where.push(`m."reviewStatus" = ${add(filter.reviewStatus)}::"ReviewStatus"`);
  if (filter.q) {
    const q = add(escapeLike(filter.q));
    where.push(`(m.prompt ILIKE '%' || ${q} || '%' OR m.id LIKE ${q} || '%')`);
  }
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
  const limit = add(filter.limit);
  const offset = add(filter.offset);
  const { rows } = await db.pool.query<{ id: string; total: string }>(
    `SELECT m.id, count(*) OVER () AS total FROM "Mission" m
     WHERE ${where.join(' AND ')}
     ORDER BY ${SORT_SQL[filter.sort]} ${direction} NULLS LAST, m.id ${direction}
     LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const total = rows[0] ? Number(rows[0].total) : filter.offset > 0 ? await countMatching(db, where, params.slice(0, -2)) : 0;
  if (rows.length === 0) return { rows: [], total };
  const found = await db.prisma.mission.findMany({
    where: { id: { in: rows.map((row) => row.id) }, teamId: filter.teamId },
    include: { workspace: { select: { name: true } }, author: { select: { email: true } } },
  });
  const byId = new Map(found.map((mission) => [mission.id, mission]));
  return { rows: rows.flatMap((row) => byId.get(row.id) ?? []), total };
}

/** A page past the end has no rows to carry the count: count separately. */
async function countMatching(db: Db, where: string[], params: unknown[]): Promise<number> {
  const { rows } = await db.pool.query<{ total: string }>(`SELECT count(*) AS total FROM "Mission" m WHERE ${where.join(' AND ')}`, params);
  return Number(rows[0]?.total ?? 0);
}

/** Which team and workspace a mission belongs to: what a broadcast of its status carries. */
export async function findMissionScope(db: Db, missionId: string): Promise<{ teamId: string; workspaceId: string } | null> {
  const { rows } = await db.pool.query<{ teamId: string; workspaceId: string }>(`SELECT "teamId", "workspaceId" FROM "Mission" WHERE id = $1`, [missionId]);
  return rows[0] ?? null;
}
