import { canTransition, isTerminalStatus, type MissionEvent, type MissionStatus } from '@garrison/core';
import type { Db } from '../client.ts';

export interface StatusChange {
  missionId: string;
  from: MissionStatus;
  to: MissionStatus;
  event: MissionEvent;
}

/**
 * The only way a mission's status changes. Locks the row, checks the state machine, moves the
 * status and appends a `mission.status` event with the next seq, all in one transaction. Returns
 * null when the transition is not legal from the current status: that is how a duplicate job
 * delivery or a late cancel finds nothing to do.
 */
export async function changeMissionStatus(
  db: Db,
  missionId: string,
  to: MissionStatus,
  reason: string | null,
  details: Record<string, unknown> = {},
): Promise<StatusChange | null> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const current = await client.query<{ status: MissionStatus; lastSeq: number }>(
      `SELECT status, "lastSeq" FROM "Mission" WHERE id = $1 FOR UPDATE`,
      [missionId],
    );
    const row = current.rows[0];
    if (!row || !canTransition(row.status, to)) {
      await client.query('ROLLBACK');
      return null;
    }
    const seq = row.lastSeq + 1;
    const ts = new Date();
    const payload = { status: to, previous: row.status, reason, ...details };
    await client.query(
      `UPDATE "Mission" SET status = $2::"MissionStatus", "statusReason" = $3, "lastSeq" = $4, "updatedAt" = now(),
         "startedAt" = CASE WHEN $2 = 'running' AND "startedAt" IS NULL THEN now() ELSE "startedAt" END,
         "endedAt" = CASE WHEN $5 THEN now() ELSE "endedAt" END,
         "exitCode" = COALESCE($6, "exitCode")
       WHERE id = $1`,
      [missionId, to, reason, seq, isTerminalStatus(to), typeof details.exitCode === 'number' ? details.exitCode : null],
    );
    await client.query(
      `INSERT INTO "MissionEvent" ("missionId", seq, ts, type, payload) VALUES ($1, $2, $3, 'mission.status', $4)`,
      [missionId, seq, ts, JSON.stringify(payload)],
    );
    await client.query('COMMIT');
    return {
      missionId,
      from: row.status,
      to,
      event: { missionId, seq, ts: ts.toISOString(), type: 'mission.status', payload },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
