import { canTransition, isTerminalStatus, type MissionEvent, type MissionStatus } from '@garrison/core';
import type { PoolClient } from 'pg';
import type { Db } from '../client.ts';

export interface StatusChange {
  missionId: string;
  from: MissionStatus;
  to: MissionStatus;
  event: MissionEvent;
}

interface LockedMission {
  status: MissionStatus;
  lastSeq: number;
  workspaceId: string;
  createdAt: Date;
  priority: number;
}

const OPEN_AFTER_CLAIM = ['provisioning', 'running', 'waiting_input', 'waiting_approval'];

/**
 * A workspace's line of queued missions: highest priority first, then oldest, then id so the
 * order is total. claimQueuedMission and queuePosition count who is ahead with the row comparison
 * (-priority, "createdAt", id) < (...), the same order: if they disagreed with nextQueuedMission,
 * a freed slot could wake a mission that is then told to wait.
 */
const LINE_ORDER = 'priority DESC, "createdAt", id';

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
  return inTransaction(db, async (client) => {
    const row = await lockMission(client, missionId);
    if (!row || !canTransition(row.status, to)) return null;
    return applyStatusChange(client, missionId, row, to, reason, details);
  });
}

export type ClaimResult = { outcome: 'claimed'; change: StatusChange } | { outcome: 'wait'; ahead: number } | { outcome: 'gone' };

/**
 * Claims a queued mission for provisioning, atomically honouring its workspace's concurrency
 * limit (open-source BullMQ has no groups, so Postgres decides): the workspace row is locked so
 * two workers cannot both take the last slot, and a queued mission of the same workspace that is
 * ahead in line (LINE_ORDER) goes first. `wait` means: try again later; `gone` means: nothing to
 * claim any more.
 */
export async function claimQueuedMission(db: Db, missionId: string): Promise<ClaimResult> {
  return inTransaction(db, async (client) => {
    const row = await lockMission(client, missionId);
    if (!row || row.status !== 'queued') return { outcome: 'gone' } as const;
    const workspace = await client.query<{ maxConcurrent: number }>(`SELECT "maxConcurrent" FROM "Workspace" WHERE id = $1 FOR UPDATE`, [row.workspaceId]);
    const counts = await client.query<{ open: string; ahead: string }>(
      `SELECT count(*) FILTER (WHERE status = ANY($2::"MissionStatus"[])) AS open,
              count(*) FILTER (WHERE status = 'queued' AND (-priority, "createdAt", id) < (-$5::int, $3, $4)) AS ahead
       FROM "Mission" WHERE "workspaceId" = $1`,
      [row.workspaceId, OPEN_AFTER_CLAIM, row.createdAt, missionId, row.priority],
    );
    const limit = workspace.rows[0]?.maxConcurrent ?? 1;
    const open = Number(counts.rows[0]?.open ?? 0);
    const ahead = Number(counts.rows[0]?.ahead ?? 0);
    if (open >= limit || ahead > 0) return { outcome: 'wait', ahead } as const;
    return { outcome: 'claimed', change: await applyStatusChange(client, missionId, row, 'provisioning', null, {}) } as const;
  });
}

async function inTransaction<T>(db: Db, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function lockMission(client: PoolClient, missionId: string): Promise<LockedMission | undefined> {
  const result = await client.query<LockedMission>(
    `SELECT status, "lastSeq", "workspaceId", "createdAt", priority FROM "Mission" WHERE id = $1 FOR UPDATE`,
    [missionId],
  );
  return result.rows[0];
}

async function applyStatusChange(
  client: PoolClient,
  missionId: string,
  row: LockedMission,
  to: MissionStatus,
  reason: string | null,
  details: Record<string, unknown>,
): Promise<StatusChange> {
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
  await client.query(`INSERT INTO "MissionEvent" ("missionId", seq, ts, type, payload) VALUES ($1, $2, $3, 'mission.status', $4)`, [
    missionId,
    seq,
    ts,
    JSON.stringify(payload),
  ]);
  return { missionId, from: row.status, to, event: { missionId, seq, ts: ts.toISOString(), type: 'mission.status', payload } };
}

/** Where a queued mission stands in its workspace's line: 1 is next. */
export async function queuePosition(db: Db, missionId: string): Promise<number | null> {
  const result = await db.pool.query<{ position: string }>(
    `SELECT 1 + (SELECT count(*) FROM "Mission" other
                 WHERE other."workspaceId" = me."workspaceId" AND other.status = 'queued'
                   AND (-other.priority, other."createdAt", other.id) < (-me.priority, me."createdAt", me.id)) AS position
     FROM "Mission" me WHERE me.id = $1 AND me.status = 'queued'`,
    [missionId],
  );
  return result.rows[0] ? Number(result.rows[0].position) : null;
}

/** The next queued mission of a workspace, to wake when a slot frees up. */
export async function nextQueuedMission(db: Db, workspaceId: string): Promise<string | null> {
  const result = await db.pool.query<{ id: string }>(
    `SELECT id FROM "Mission" WHERE "workspaceId" = $1 AND status = 'queued' ORDER BY ${LINE_ORDER} LIMIT 1`,
    [workspaceId],
  );
  return result.rows[0]?.id ?? null;
}

const RUNNER_STATUSES: readonly MissionStatus[] = ['running', 'waiting_input', 'waiting_approval'];

/**
 * The runner's own moves between running and waiting (a question or an approval for a person).
 * Its log already holds the `mission.status` event with its seq; this only moves the row, and
 * never out of a terminal state (a late event after a cancel changes nothing).
 */
export async function applyRunnerStatus(db: Db, missionId: string, to: string): Promise<boolean> {
  const status = RUNNER_STATUSES.find((candidate) => candidate === to);
  if (!status) return false;
  const from = RUNNER_STATUSES.filter((candidate) => candidate !== status && canTransition(candidate, status));
  const result = await db.pool.query(`UPDATE "Mission" SET status = $2::"MissionStatus", "updatedAt" = now() WHERE id = $1 AND status = ANY($3::"MissionStatus"[])`, [missionId, status, from]);
  return (result.rowCount ?? 0) > 0;
}

/** Ended missions a follow-up may continue: the agent finished its turn, it did not fail. */
export const REOPENABLE_STATUSES: readonly MissionStatus[] = ['completed', 'blocked'];

export interface FollowUp {
  messageId: string;
  text: string;
  by: string;
}

/**
 * A follow-up to an ended mission: the follow-up (the next attempt's prompt) and the move back to
 * `queued` are stored in one transaction, so the message is never lost and never runs twice.
 * Returns the stored events and the attempt that will run it, or null when the mission is not
 * (or no longer) in a reopenable state.
 */
export async function reopenMission(
  db: Db,
  missionId: string,
  followUp: FollowUp,
  from: readonly MissionStatus[] = REOPENABLE_STATUSES,
  reason = 'follow_up',
): Promise<{ events: MissionEvent[]; attempt: number } | null> {
  return inTransaction(db, async (client) => {
    const row = await lockMission(client, missionId);
    if (!row || !from.includes(row.status)) return null;
    const ts = new Date();
    const provided = { kind: 'follow_up', messageId: followUp.messageId, text: followUp.text, by: followUp.by };
    const providedSeq = row.lastSeq + 1;
    await client.query(`INSERT INTO "MissionEvent" ("missionId", seq, ts, type, payload) VALUES ($1, $2, $3, 'input.provided', $4)`, [missionId, providedSeq, ts, JSON.stringify(provided)]);
    const change = await applyStatusChange(client, missionId, { ...row, lastSeq: providedSeq }, 'queued', reason, {});
    await client.query(`UPDATE "Mission" SET "endedAt" = NULL, "exitCode" = NULL, "cancelRequestedBy" = NULL, "cancelRequestedAt" = NULL, resumable = false WHERE id = $1`, [missionId]);
    const attempts = await client.query<{ count: string }>(`SELECT count(*) FROM "MissionAttempt" WHERE "missionId" = $1`, [missionId]);
    return {
      events: [{ missionId, seq: providedSeq, ts: ts.toISOString(), type: 'input.provided', payload: provided }, change.event],
      attempt: Number(attempts.rows[0]?.count ?? 0) + 1,
    };
  });
}

/** The agent's session as soon as the runner reports it (an `agent.session` event). */
export async function recordAgentSession(db: Db, missionId: string, sessionId: string): Promise<void> {
  await db.pool.query(`UPDATE "Mission" SET "agentSessionId" = $2 WHERE id = $1`, [missionId, sessionId]);
}
