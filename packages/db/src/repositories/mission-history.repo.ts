import type { Db } from '../client.ts';

export interface AttemptRow {
  number: number;
  startedAt: Date;
  endedAt: Date | null;
  exitCode: number | null;
  reason: string | null;
}

export interface StatusEventRow {
  seq: number;
  status: string;
  previous: string | null;
  reason: string | null;
}

export function listMissionAttempts(db: Db, missionId: string): Promise<AttemptRow[]> {
  return db.prisma.missionAttempt.findMany({
    where: { missionId },
    orderBy: { number: 'asc' },
    select: { number: true, startedAt: true, endedAt: true, exitCode: true, reason: true },
  });
}

/** The mission's status changes in seq order: a few per attempt, whatever the log's size. */
export async function listStatusEvents(db: Db, missionId: string): Promise<StatusEventRow[]> {
  const result = await db.pool.query<StatusEventRow>(
    `SELECT seq, payload->>'status' AS status, payload->>'previous' AS previous, payload->>'reason' AS reason
     FROM "MissionEvent" WHERE "missionId" = $1 AND type = 'mission.status' ORDER BY seq`,
    [missionId],
  );
  return result.rows;
}

export interface ToolCallRow {
  seq: number;
  name: string;
  input: Record<string, unknown>;
  /** The matching tool.result said isError; null when no result was stored. */
  isError: boolean | null;
}

/** Tool calls with one of these names, each with its result's error flag. */
export async function listToolCallsNamed(db: Db, missionId: string, names: string[]): Promise<ToolCallRow[]> {
  // One pass over the mission's calls and one over its results, joined by callId (hashing, not a
  // lookup per call: a 50,000-event log must still answer quickly).
  const result = await db.pool.query<ToolCallRow>(
    `WITH calls AS (
       SELECT seq, payload FROM "MissionEvent"
       WHERE "missionId" = $1 AND type = 'tool.call' AND payload->>'name' = ANY($2::text[])
     ), results AS (
       SELECT DISTINCT ON (payload->>'callId') payload->>'callId' AS "callId", (payload->>'isError')::boolean AS "isError"
       FROM "MissionEvent"
       WHERE "missionId" = $1 AND type = 'tool.result' AND payload->>'callId' IN (SELECT payload->>'callId' FROM calls)
       ORDER BY payload->>'callId', seq
     )
     SELECT c.seq, c.payload->>'name' AS name, COALESCE(c.payload->'input', '{}'::jsonb) AS input, r."isError"
     FROM calls c LEFT JOIN results r ON r."callId" = c.payload->>'callId'
     ORDER BY c.seq`,
    [missionId, names],
  );
  return result.rows;
}
