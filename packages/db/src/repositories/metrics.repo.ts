import type { Db } from '../client.ts';

/**
 * Installation-wide figures for the operator's `/metrics` (not scoped to a team: only the
 * operator's scraper reads them). Each is one index-friendly query.
 */
export async function countMissionsByStatus(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ status: string; count: string }>(`SELECT status::text AS status, count(*) AS count FROM "Mission" GROUP BY status`);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

export interface DispatchLatency {
  /** Cumulative count per upper bound (seconds), in the order given. */
  buckets: number[];
  count: number;
  sumSeconds: number;
}

/**
 * Queued -> first running, of every mission that ever ran: `startedAt` is set once, at the first
 * `running`, so each mission counts once and the figures only grow (until a team is deleted).
 */
export async function measureDispatchLatency(db: Db, boundsSeconds: readonly number[]): Promise<DispatchLatency> {
  const filters = boundsSeconds.map((_, i) => `count(*) FILTER (WHERE latency <= $${i + 1}::float8) AS b${i}`).join(', ');
  const { rows } = await db.pool.query<Record<string, string | null>>(
    `SELECT ${filters}${filters ? ',' : ''} count(*) AS total, coalesce(sum(latency), 0) AS sum
     FROM (SELECT extract(epoch FROM "startedAt" - "createdAt")::float8 AS latency FROM "Mission" WHERE "startedAt" IS NOT NULL) AS started`,
    [...boundsSeconds],
  );
  const row = rows[0] ?? {};
  return {
    buckets: boundsSeconds.map((_, i) => Number(row[`b${i}`] ?? 0)),
    count: Number(row.total ?? 0),
    sumSeconds: Number(row.sum ?? 0),
  };
}

export interface WorkerHostSnapshot {
  id: string;
  lastSeenAt: Date;
  resources: unknown;
}

export async function listWorkerHostsSeenSince(db: Db, since: Date): Promise<WorkerHostSnapshot[]> {
  return db.prisma.workerHost.findMany({ where: { lastSeenAt: { gte: since } }, select: { id: true, lastSeenAt: true, resources: true }, orderBy: { id: 'asc' } });
}
