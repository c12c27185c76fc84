import { workspaceContainerName, type RunnerEvent } from '@garrison/core';
import { insertEventBatch } from '@garrison/db';
import { postMission, type BenchContext } from '../lib/context.ts';
import { wallNow, within } from '../lib/clock.ts';
import { cpuDuring } from '../lib/cpu.ts';
import { round } from '../lib/stats.ts';

const BATCH = 2000;
/** queued, provisioning, running come before the first output event. */
const STATUS_EVENTS_BEFORE_OUTPUT = 3;

interface SeqChange {
  at: number;
  lastSeq: number;
}

/** Mission.lastSeq moves in the same statement as each insert, so polling it shows when batches commit. */
async function watchPersistence(ctx: BenchContext, missionId: string, done: () => boolean): Promise<SeqChange[]> {
  const changes: SeqChange[] = [];
  let previous = -1;
  for (;;) {
    // One last look after the mission ended, so the final commit is always seen.
    const finished = done();
    const row = (await ctx.db.pool.query<{ lastSeq: number }>(`SELECT "lastSeq" FROM "Mission" WHERE id = $1`, [missionId])).rows[0];
    if (row && row.lastSeq !== previous) changes.push({ at: wallNow(), lastSeq: (previous = row.lastSeq) });
    if (finished) return changes;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `ingest_events_per_s`: one shell mission printing `lines` short lines, all of them persisted
 * and delivered to a socket client. Also reports the persist-only window (first to last committed
 * output batch, from polling Mission.lastSeq every 20 ms).
 */
export async function measureIngest(ctx: BenchContext, workspaceId: string, lines: number) {
  const { result, cpu_ms } = await cpuDuring(ctx.fixture, [workspaceContainerName(workspaceId)], () => ingestOnce(ctx, workspaceId, lines));
  return { ...result, cpu_ms };
}

async function ingestOnce(ctx: BenchContext, workspaceId: string, lines: number) {
  const postedAt = wallNow();
  const missionId = await postMission(ctx, workspaceId, `seq 1 ${lines}`);
  const tracker = await ctx.stream.track(missionId, { keep: false });
  let ended = false;
  const persistence = watchPersistence(ctx, missionId, () => ended);
  await within(tracker.ended(), 300_000, `ingest mission ${missionId} to end`);
  ended = true;
  const changes = await persistence;
  ctx.stream.untrack(missionId);

  const stored = (await ctx.db.pool.query<{ total: string; output: string; head: number }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE type = 'process.output') AS output, max(seq) AS head FROM "MissionEvent" WHERE "missionId" = $1`,
    [missionId],
  )).rows[0]!;
  const total = Number(stored.total);
  if (tracker.endStatus !== 'completed' || Number(stored.output) !== lines || stored.head !== total) {
    throw new Error(`bench: ingest mission ended ${tracker.endStatus} with ${stored.output}/${lines} output events, head ${stored.head}, ${total} rows`);
  }
  await within(tracker.until(() => tracker.count >= total), 60_000, 'the socket client to hold every event');
  if (tracker.count !== total || tracker.outOfOrder !== 0) throw new Error(`bench: client got ${tracker.count}/${total} events, ${tracker.outOfOrder} out of order`);

  const first = changes.find((c) => c.lastSeq > STATUS_EVENTS_BEFORE_OUTPUT)!;
  const last = changes.find((c) => c.lastSeq >= STATUS_EVENTS_BEFORE_OUTPUT + lines)!;
  const endToEndMs = tracker.lastAt - postedAt;
  const persistMs = last.at - first.at;
  // Seen in one poll: too short to tell a rate (only with few lines).
  const persistRate = persistMs > 0 ? round((last.lastSeq - first.lastSeq) / (persistMs / 1000), 0) : null;
  return {
    value: round(total / (endToEndMs / 1000), 0),
    unit: 'events/s',
    basis: `all ${total} events of one mission (\`seq 1 ${lines}\`) / (POST -> the socket client holds all; Postgres holds all)`,
    events: total,
    end_to_end_ms: round(endToEndMs, 0),
    persist_window: {
      events_per_s: persistRate,
      ms: round(persistMs, 0),
      basis: 'output events committed between the first and the last committed output batch (Mission.lastSeq polled every 20 ms)',
    },
    client_lag_after_last_commit_ms: round(tracker.lastAt - last.at, 0),
  };
}

/** Floor: `insertEventBatch` of `rows` output-shaped events in batches of 2000 into a throwaway mission. */
export async function measureInsertFloor(ctx: BenchContext, workspaceId: string, rows: number) {
  const mission = await ctx.db.prisma.mission.create({
    // Created already terminal: no worker may ever pick up a mission that has no job.
    data: { teamId: ctx.teamId, workspaceId, agent: 'shell', prompt: 'bench insert floor', status: 'canceled', statusReason: 'bench_floor' },
  });
  const ts = new Date().toISOString();
  const batches: RunnerEvent[][] = [];
  for (let start = 1; start <= rows; start += BATCH) {
    batches.push(Array.from({ length: Math.min(BATCH, rows - start + 1) }, (_, i) => ({
      seq: start + i, ts, type: 'process.output' as const, payload: { stream: 'stdout', text: String(start + i) },
    })));
  }
  const started = performance.now();
  let inserted = 0;
  for (const batch of batches) inserted += (await insertEventBatch(ctx.db, mission.id, batch)).length;
  const elapsed = performance.now() - started;
  if (inserted !== rows) throw new Error(`bench: insert floor stored ${inserted}/${rows} rows`);
  return {
    name: 'insert_floor_rows_per_s',
    value: round(rows / (elapsed / 1000), 0),
    unit: 'rows/s',
    method: `insertEventBatch (one INSERT ... SELECT unnest ... RETURNING per batch), ${rows} rows in batches of ${BATCH}, sequential, one pg connection`,
    ms: round(elapsed, 0),
  };
}
