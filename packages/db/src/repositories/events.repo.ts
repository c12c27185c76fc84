import type { EventType, MissionEvent, RunnerEvent } from '@garrison/core';
import type { Db } from '../client.ts';

interface EventRow {
  seq: number;
  ts: Date;
  type: string;
  payload: Record<string, unknown>;
}

function toMissionEvent(missionId: string, row: EventRow): MissionEvent {
  return { missionId, seq: row.seq, ts: row.ts.toISOString(), type: row.type as EventType, payload: row.payload };
}

/**
 * Inserts a batch idempotently and returns only the rows this call inserted, in seq order, so a
 * duplicate follower (a job delivered twice, a worker restart) never broadcasts an event twice.
 * The mission's lastSeq moves in the same statement.
 */
export async function insertEventBatch(db: Db, missionId: string, events: RunnerEvent[]): Promise<MissionEvent[]> {
  if (events.length === 0) return [];
  const result = await db.pool.query<EventRow>(
    `WITH inserted AS (
       INSERT INTO "MissionEvent" ("missionId", seq, ts, type, payload)
       SELECT $1, e.seq, e.ts, e.type, e.payload
       FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::jsonb[]) AS e(seq, ts, type, payload)
       ON CONFLICT ("missionId", seq) DO NOTHING
       RETURNING seq, ts, type, payload
     ), moved AS (
       UPDATE "Mission" SET "lastSeq" = GREATEST("lastSeq", (SELECT max(seq) FROM inserted))
       WHERE id = $1 AND EXISTS (SELECT 1 FROM inserted)
     )
     SELECT seq, ts, type, payload FROM inserted ORDER BY seq`,
    [
      missionId,
      events.map((event) => event.seq),
      events.map((event) => event.ts),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.payload)),
    ],
  );
  return result.rows.map((row) => toMissionEvent(missionId, row));
}

export async function listEventsAfter(db: Db, missionId: string, afterSeq: number, limit: number): Promise<MissionEvent[]> {
  const result = await db.pool.query<EventRow>(
    `SELECT seq, ts, type, payload FROM "MissionEvent"
     WHERE "missionId" = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [missionId, afterSeq, limit],
  );
  return result.rows.map((row) => toMissionEvent(missionId, row));
}

export async function getHeadSeq(db: Db, missionId: string): Promise<number> {
  const result = await db.pool.query<{ head: number | null }>(
    `SELECT max(seq) AS head FROM "MissionEvent" WHERE "missionId" = $1`,
    [missionId],
  );
  return result.rows[0]?.head ?? 0;
}

/** The mission's stored result, if the runner's last word already reached Postgres. */
/**
 * The current attempt's `mission.result`, if stored. A follow-up reopens an ended mission (a
 * `mission.status` back to queued): results before that belong to earlier attempts.
 */
export async function findResultEvent(db: Db, missionId: string): Promise<MissionEvent | null> {
  const result = await db.pool.query<EventRow>(
    `SELECT seq, ts, type, payload FROM "MissionEvent"
     WHERE "missionId" = $1 AND type = 'mission.result'
       AND seq > COALESCE((SELECT max(seq) FROM "MissionEvent" WHERE "missionId" = $1 AND type = 'mission.status' AND payload->>'status' = 'queued'), 0)
     ORDER BY seq LIMIT 1`,
    [missionId],
  );
  return result.rows[0] ? toMissionEvent(missionId, result.rows[0]) : null;
}

/** True while the mission's newest event is its move to `running`: its agent never produced anything. */
export async function isFreshlyRunning(db: Db, missionId: string): Promise<boolean> {
  const result = await db.pool.query<{ type: string; status: string | null }>(
    `SELECT type, payload->>'status' AS status FROM "MissionEvent" WHERE "missionId" = $1 ORDER BY seq DESC LIMIT 1`,
    [missionId],
  );
  const last = result.rows[0];
  return last?.type === 'mission.status' && last.status === 'running';
}

/** The text of the newest follow-up: the prompt of an attempt that continues an ended mission. */
export async function latestFollowUpText(db: Db, missionId: string): Promise<string | null> {
  const result = await db.pool.query<{ text: string }>(
    `SELECT payload->>'text' AS text FROM "MissionEvent"
     WHERE "missionId" = $1 AND type = 'input.provided' AND payload->>'kind' = 'follow_up' ORDER BY seq DESC LIMIT 1`,
    [missionId],
  );
  return result.rows[0]?.text ?? null;
}

/** A requested approval or question, and whether it was already answered. */
export async function findChannelRequest(
  db: Db,
  missionId: string,
  kind: 'approval' | 'input',
  id: string,
): Promise<{ requested: MissionEvent; resolved: boolean } | null> {
  const [requestedType, resolvedType, idField] = kind === 'approval' ? ['approval.requested', 'approval.resolved', 'approvalId'] : ['input.requested', 'input.provided', 'inputId'];
  const result = await db.pool.query<EventRow>(
    `SELECT seq, ts, type, payload FROM "MissionEvent" WHERE "missionId" = $1 AND type = ANY($2::text[]) AND payload->>$3 = $4 ORDER BY seq`,
    [missionId, [requestedType, resolvedType], idField, id],
  );
  const requested = result.rows.find((row) => row.type === requestedType);
  if (!requested) return null;
  return { requested: toMissionEvent(missionId, requested), resolved: result.rows.some((row) => row.type === resolvedType) };
}

/** The question the mission waits on: the newest input.requested without an answer. */
export async function findPendingQuestion(db: Db, missionId: string): Promise<string | null> {
  const result = await db.pool.query<{ id: string }>(
    `SELECT q.payload->>'inputId' AS id FROM "MissionEvent" q
     WHERE q."missionId" = $1 AND q.type = 'input.requested'
       AND NOT EXISTS (SELECT 1 FROM "MissionEvent" a WHERE a."missionId" = $1 AND a.type = 'input.provided' AND a.payload->>'inputId' = q.payload->>'inputId')
     ORDER BY q.seq DESC LIMIT 1`,
    [missionId],
  );
  return result.rows[0]?.id ?? null;
}
