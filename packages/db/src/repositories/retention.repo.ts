import { TERMINAL_STATUSES } from '@garrison/core';
import type { Db } from '../client.ts';

export interface PrunableMission {
  id: string;
  /** Every event up to here is old; later ones (a follow-up after the pruning began) are not touched. */
  throughSeq: number;
}

/**
 * Ended missions whose events are due: terminal, ended before `endedBefore`, and with events
 * newer than what an earlier run pruned (a reopened mission that ended again is due again).
 */
export async function listMissionsToPrune(db: Db, endedBefore: Date, limit: number): Promise<PrunableMission[]> {
  const result = await db.pool.query<{ id: string; lastSeq: number }>(
    `SELECT id, "lastSeq" FROM "Mission"
     WHERE status = ANY($1::"MissionStatus"[]) AND "endedAt" < $2
       AND "lastSeq" > COALESCE("prunedThroughSeq", 0)
     ORDER BY "endedAt", id LIMIT $3`,
    [TERMINAL_STATUSES, endedBefore, limit],
  );
  return result.rows.map((row) => ({ id: row.id, throughSeq: row.lastSeq }));
}

/**
 * Deletes a mission's events up to `throughSeq` except its `mission.result` and terminal
 * `mission.status` ones (so it still says how it ended), `batchSize` rows per statement so a
 * mission with millions of events never holds a long lock or a huge transaction. Records the
 * pruning on the mission last: a crash midway leaves it due, and the next run finishes it.
 * Returns how many events it deleted.
 */
export async function pruneMissionEvents(db: Db, mission: PrunableMission, batchSize: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.pool.query(
      `DELETE FROM "MissionEvent" WHERE id IN (
         SELECT id FROM "MissionEvent"
         WHERE "missionId" = $1 AND seq <= $2
           AND type <> 'mission.result'
           AND NOT (type = 'mission.status' AND payload->>'status' = ANY($3::text[]))
         LIMIT $4)`,
      [mission.id, mission.throughSeq, TERMINAL_STATUSES, batchSize],
    );
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < batchSize) break;
  }
  await db.pool.query(
    `UPDATE "Mission" SET "eventsPrunedAt" = now(), "prunedThroughSeq" = GREATEST(COALESCE("prunedThroughSeq", 0), $2) WHERE id = $1`,
    [mission.id, mission.throughSeq],
  );
  return deleted;
}
