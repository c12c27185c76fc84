import type { Logger } from 'pino';
import { listMissionsToPrune, pruneMissionEvents, type Db } from '@garrison/db';

/** Rows per DELETE: large enough to be quick, small enough that no statement holds a lock for long. */
export const PRUNE_BATCH_ROWS = 10_000;
/** Missions looked up per query; the run goes on until none is due. */
const MISSIONS_PER_PAGE = 200;

export interface RetentionOptions {
  /** Events of missions that ended more than this many days ago are deleted; 0 keeps everything. */
  retentionDays: number;
  batchRows?: number;
  now?: Date;
}

export interface RetentionRun {
  missions: number;
  events: number;
}

/**
 * Event retention: the mission row (summary, status, reason, usage counters), its ModelCall rows
 * and its `mission.result` and terminal `mission.status` events stay; every other event of a
 * mission that ended long enough ago goes. Missions are pruned one by one, oldest end first, so an
 * interrupted run loses nothing and the next one continues where it stopped.
 */
export async function pruneExpiredEvents(deps: { db: Db; log: Logger }, options: RetentionOptions): Promise<RetentionRun> {
  const run: RetentionRun = { missions: 0, events: 0 };
  if (options.retentionDays <= 0) return run;
  const endedBefore = new Date((options.now ?? new Date()).getTime() - options.retentionDays * 24 * 3600_000);
  const batchRows = options.batchRows ?? PRUNE_BATCH_ROWS;
  for (;;) {
    const due = await listMissionsToPrune(deps.db, endedBefore, MISSIONS_PER_PAGE);
    for (const mission of due) {
      run.events += await pruneMissionEvents(deps.db, mission, batchRows);
      run.missions += 1;
    }
    // Each pruned mission leaves the list (prunedThroughSeq reaches its lastSeq), so this ends.
    if (due.length < MISSIONS_PER_PAGE) break;
  }
  if (run.missions > 0) deps.log.info({ ...run, endedBefore: endedBefore.toISOString() }, 'pruned events of ended missions');
  return run;
}
