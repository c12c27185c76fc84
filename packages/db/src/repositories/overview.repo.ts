import type { Db } from '../client.ts';

/**
 * The team's numbers for the dashboard's overview, aggregated in SQL and always team-scoped.
 * Prisma stores DateTime as UTC `timestamp without time zone`: days are those columns' dates, and
 * timestamps leave SQL marked as UTC so pg cannot read them in the process's zone.
 */

export interface AttentionRow {
  id: string;
  status: string;
  agent: string;
  workspaceId: string;
  workspaceName: string;
  promptHead: string;
  updatedAt: Date;
}

/** Missions a person should look at: waiting for one first (oldest first), then running ones. */
export async function listAttentionMissions(db: Db, teamId: string, limit = 50): Promise<AttentionRow[]> {
  const { rows } = await db.pool.query<AttentionRow>(
    `SELECT m.id, m.status::text AS status, m.agent, m."workspaceId", w.name AS "workspaceName",
            left(m.prompt, 2000) AS "promptHead", m."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"
     FROM "Mission" m JOIN "Workspace" w ON w.id = m."workspaceId"
     WHERE m."teamId" = $1 AND m.status IN ('waiting_approval', 'waiting_input', 'running', 'provisioning')
     ORDER BY CASE WHEN m.status IN ('waiting_approval', 'waiting_input') THEN 0 ELSE 1 END, m."updatedAt", m.id
     LIMIT $2`,
    [teamId, limit],
  );
  return rows;
}

export async function countQueuedMissions(db: Db, teamId: string): Promise<{ queued: number; provisioning: number }> {
  const { rows } = await db.pool.query<{ queued: string; provisioning: string }>(
    `SELECT count(*) FILTER (WHERE status = 'queued') AS queued, count(*) FILTER (WHERE status = 'provisioning') AS provisioning
     FROM "Mission" WHERE "teamId" = $1 AND status IN ('queued', 'provisioning')`,
    [teamId],
  );
  return { queued: Number(rows[0]?.queued ?? 0), provisioning: Number(rows[0]?.provisioning ?? 0) };
}

export async function summarizeWorkspaces(db: Db, teamId: string, recentLimit = 8) {
  const [counts, recent] = await Promise.all([
    db.pool.query<{ status: string; count: string }>(
      `SELECT status::text AS status, count(*) AS count FROM "Workspace" WHERE "teamId" = $1 AND status <> 'destroyed' GROUP BY status`,
      [teamId],
    ),
    db.pool.query<{ id: string; name: string; status: string; lastActiveAt: Date | null }>(
      `SELECT id, name, status::text AS status, "lastActiveAt" AT TIME ZONE 'UTC' AS "lastActiveAt" FROM "Workspace"
       WHERE "teamId" = $1 AND status <> 'destroyed'
       ORDER BY COALESCE("lastActiveAt", "createdAt") DESC, id LIMIT $2`,
      [teamId, recentLimit],
    ),
  ]);
  return { counts: counts.rows.map((row) => ({ status: row.status, count: Number(row.count) })), recent: recent.rows };
}

export interface RecentResultRow {
  id: string;
  status: string;
  statusReason: string | null;
  agent: string;
  workspaceName: string;
  promptHead: string;
  endedAt: Date | null;
  durationS: number | null;
  costUsd: number;
}

export async function listRecentResults(db: Db, teamId: string, limit = 10): Promise<RecentResultRow[]> {
  const { rows } = await db.pool.query<Omit<RecentResultRow, 'costUsd' | 'durationS'> & { costUsd: string; durationS: string | null }>(
    `SELECT m.id, m.status::text AS status, m."statusReason", m.agent, w.name AS "workspaceName", left(m.prompt, 2000) AS "promptHead",
            m."endedAt" AT TIME ZONE 'UTC' AS "endedAt", EXTRACT(EPOCH FROM (m."endedAt" - m."startedAt")) AS "durationS", COALESCE(m."costUsd", 0) AS "costUsd"
     FROM "Mission" m JOIN "Workspace" w ON w.id = m."workspaceId"
     WHERE m."teamId" = $1 AND m.status IN ('completed', 'failed', 'canceled', 'blocked', 'interrupted')
     ORDER BY m."endedAt" DESC NULLS LAST, m.id DESC
     LIMIT $2`,
    [teamId, limit],
  );
  return rows.map((row) => ({ ...row, durationS: row.durationS === null ? null : Number(row.durationS), costUsd: Number(row.costUsd) }));
}

export interface DailyRow {
  day: string;
  started: number;
  completed: number;
  failed: number;
  canceled: number;
  blocked: number;
  interrupted: number;
  durationMedianS: number | null;
  durationP90S: number | null;
  costUsd: number;
}

/**
 * One row per UTC day for the last `days` days, today included, zero-filled. Missions count on
 * the day they were dispatched; outcomes and durations on the day they ended; cost on the day
 * the gateway metered each call.
 */
export async function dailySeries(db: Db, teamId: string, days = 14): Promise<DailyRow[]> {
  const { rows } = await db.pool.query<Record<keyof DailyRow, string | null>>(
    `WITH days AS (
       SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ($2::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day
     ),
     since AS (SELECT min(day)::timestamp AS at FROM days),
     started AS (
       SELECT "createdAt"::date AS day, count(*) AS n
       FROM "Mission" WHERE "teamId" = $1 AND "createdAt" >= (SELECT at FROM since) GROUP BY 1
     ),
     ended AS (
       SELECT "endedAt"::date AS day,
              count(*) FILTER (WHERE status = 'completed') AS completed,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'canceled') AS canceled,
              count(*) FILTER (WHERE status = 'blocked') AS blocked,
              count(*) FILTER (WHERE status = 'interrupted') AS interrupted,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("endedAt" - "startedAt"))) FILTER (WHERE "startedAt" IS NOT NULL) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("endedAt" - "startedAt"))) FILTER (WHERE "startedAt" IS NOT NULL) AS p90
       FROM "Mission"
       WHERE "teamId" = $1 AND "endedAt" >= (SELECT at FROM since)
         AND status IN ('completed', 'failed', 'canceled', 'blocked', 'interrupted')
       GROUP BY 1
     ),
     cost AS (
       SELECT "createdAt"::date AS day, sum("costUsd") AS usd
       FROM "ModelCall" WHERE "teamId" = $1 AND "createdAt" >= (SELECT at FROM since) GROUP BY 1
     )
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, COALESCE(started.n, 0) AS started,
            COALESCE(ended.completed, 0) AS completed, COALESCE(ended.failed, 0) AS failed, COALESCE(ended.canceled, 0) AS canceled,
            COALESCE(ended.blocked, 0) AS blocked, COALESCE(ended.interrupted, 0) AS interrupted,
            ended.median AS "durationMedianS", ended.p90 AS "durationP90S", COALESCE(cost.usd, 0) AS "costUsd"
     FROM days
     LEFT JOIN started ON started.day = days.day
     LEFT JOIN ended ON ended.day = days.day
     LEFT JOIN cost ON cost.day = days.day
     ORDER BY days.day`,
    [teamId, days],
  );
  const num = (value: string | null): number => Number(value ?? 0);
  const maybe = (value: string | null): number | null => (value === null ? null : Math.round(Number(value) * 10) / 10);
  return rows.map((row) => ({
    day: row.day as string,
    started: num(row.started),
    completed: num(row.completed),
    failed: num(row.failed),
    canceled: num(row.canceled),
    blocked: num(row.blocked),
    interrupted: num(row.interrupted),
    durationMedianS: maybe(row.durationMedianS),
    durationP90S: maybe(row.durationP90S),
    costUsd: num(row.costUsd),
  }));
}

export function listWorkerHosts(db: Db) {
  return db.prisma.workerHost.findMany({ orderBy: { id: 'asc' } });
}
