import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, type MissionStatus, type RunnerEvent } from '@garrison/core';
import { createDb, insertEventBatch, type Db } from '@garrison/db';
import { deleteTeam, seedTeam, TEST_DATABASE_URL, TEST_REDIS_URL, type TestTeam } from '@garrison/testkit';
import { createMaintenanceJob } from '../src/images/maintenance.job.ts';
import type { WorkspaceImageBuilder } from '../src/images/workspace-image-builder.ts';
import { pruneExpiredEvents } from '../src/retention/event-retention.service.ts';
import { RETENTION_EVERY_MS, RETENTION_SCHEDULER_ID, scheduleEventRetention } from '../src/retention/retention-schedule.ts';

const log = pino({ level: 'silent' });
const HOUR = 3600_000;
// Retention of 1 day with missions that ended 3 days ago: the default 30 days of other test
// stacks' workers (which prune at start) never touch these rows while this file looks at them.
const DAYS = 1;

let db: Db;
let team: TestTeam;
let workspaceId: string;
beforeAll(async () => {
  db = createDb(TEST_DATABASE_URL, { poolSize: 4 });
  team = await seedTeam(db);
  workspaceId = (await db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'retention' } })).id;
});
afterAll(async () => {
  await deleteTeam(db, team);
  await db.close();
});

const status = (seq: number, to: MissionStatus, previous: MissionStatus | null): RunnerEvent => ({ seq, ts: new Date().toISOString(), type: 'mission.status', payload: { status: to, previous, reason: null } });
const output = (seq: number): RunnerEvent => ({ seq, ts: new Date().toISOString(), type: 'process.output', payload: { stream: 'stdout', text: `line ${seq}` } });
const result = (seq: number): RunnerEvent => ({ seq, ts: new Date().toISOString(), type: 'mission.result', payload: { outcome: 'exited', exitCode: 0, signal: null, message: `done at ${seq}` } });

/** A mission as a run leaves it: queued, provisioning, running, 25 lines, a usage report, its result and its end. */
async function seedMission(state: MissionStatus, endedAgoMs: number | null): Promise<string> {
  const mission = await db.prisma.mission.create({
    data: {
      teamId: team.teamId, workspaceId, agent: 'shell', prompt: 'seq 25', status: state, statusReason: 'seeded',
      endedAt: endedAgoMs === null ? null : new Date(Date.now() - endedAgoMs), modelCalls: 2, inputTokens: 300, outputTokens: 40, costUsd: 0.25,
    },
  });
  const events: RunnerEvent[] = [status(1, 'queued', null), status(2, 'provisioning', 'queued'), status(3, 'running', 'provisioning')];
  for (let seq = 4; seq <= 28; seq += 1) events.push(output(seq));
  events.push({ seq: 29, ts: new Date().toISOString(), type: 'usage', payload: { inputTokens: 300, outputTokens: 40 } }, result(30));
  if (endedAgoMs !== null) events.push(status(31, state, 'running'));
  await insertEventBatch(db, mission.id, events);
  await db.prisma.modelCall.create({ data: { missionId: mission.id, teamId: team.teamId, workspaceId, provider: 'anthropic', api: 'messages', model: 'claude-sonnet-4-5', httpStatus: 200, inputTokens: 300, outputTokens: 40, costUsd: 0.25, durationMs: 5 } });
  return mission.id;
}

async function seqsOf(missionId: string): Promise<number[]> {
  return (await db.prisma.missionEvent.findMany({ where: { missionId }, orderBy: { seq: 'asc' }, select: { seq: true } })).map((row) => row.seq);
}

describe('event retention', () => {
  it('deletes the events of long-ended missions in batches and keeps their result, end, row and model calls', async () => {
    const old = await seedMission('completed', 3 * 24 * HOUR);
    const oldFailed = await seedMission('failed', 2 * 24 * HOUR);
    const recent = await seedMission('completed', 6 * HOUR);
    const running = await seedMission('running', null);
    const run = await pruneExpiredEvents({ db, log }, { retentionDays: DAYS, batchRows: 7 });
    expect(run.missions).toBeGreaterThanOrEqual(2);
    expect(run.events).toBeGreaterThanOrEqual(2 * 29);

    for (const id of [old, oldFailed]) {
      expect(await seqsOf(id)).toEqual([30, 31]);
      const row = await db.prisma.mission.findUniqueOrThrow({ where: { id }, include: { modelCallRecords: true } });
      expect(row).toMatchObject({ statusReason: 'seeded', lastSeq: 31, prunedThroughSeq: 31, modelCalls: 2, inputTokens: 300, outputTokens: 40 });
      expect(Number(row.costUsd)).toBe(0.25);
      expect(row.eventsPrunedAt).toBeInstanceOf(Date);
      expect(row.modelCallRecords).toHaveLength(1);
    }
    expect((await db.prisma.missionEvent.findFirstOrThrow({ where: { missionId: oldFailed, seq: 31 } })).payload).toMatchObject({ status: 'failed' });
    expect(await seqsOf(recent)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(await seqsOf(running)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const id of [recent, running]) expect((await db.prisma.mission.findUniqueOrThrow({ where: { id } })).eventsPrunedAt).toBeNull();

    // A pruned mission is not due again until it has newer events (a follow-up that ended again).
    const before = (await db.prisma.mission.findUniqueOrThrow({ where: { id: old } })).eventsPrunedAt;
    await pruneExpiredEvents({ db, log }, { retentionDays: DAYS });
    expect((await db.prisma.mission.findUniqueOrThrow({ where: { id: old } })).eventsPrunedAt).toEqual(before);
    await insertEventBatch(db, old, [status(32, 'queued', 'completed'), output(33), result(34), status(35, 'completed', 'running')]);
    await pruneExpiredEvents({ db, log }, { retentionDays: DAYS });
    expect(await seqsOf(old)).toEqual([30, 31, 34, 35]);
    expect((await db.prisma.mission.findUniqueOrThrow({ where: { id: old } })).prunedThroughSeq).toBe(35);
  });

  it('keeps everything when EVENT_RETENTION_DAYS is 0', async () => {
    const old = await seedMission('canceled', 40 * 24 * HOUR);
    expect(await pruneExpiredEvents({ db, log }, { retentionDays: 0 })).toEqual({ missions: 0, events: 0 });
    expect(await seqsOf(old)).toHaveLength(31);
  });

  it('runs from the maintenance queue at start and every hour, and stops being scheduled when switched off', async () => {
    const old = await seedMission('completed', 3 * 24 * HOUR);
    const prefix = `gt-${randomBytes(4).toString('hex')}`;
    const connection = { url: TEST_REDIS_URL };
    const queue = new Queue(QueueName.Maintenance, { connection, prefix });
    const events = new QueueEvents(QueueName.Maintenance, { connection, prefix });
    // The image builder is never reached by a prune-events job.
    const processor = createMaintenanceJob({ db, log, images: {} as WorkspaceImageBuilder, fallbackImage: 'unused', eventRetentionDays: DAYS });
    const worker = new Worker(QueueName.Maintenance, processor, { connection, prefix, concurrency: 1 });
    try {
      await events.waitUntilReady();
      const completed = new Promise<void>((resolve, reject) => {
        events.on('completed', () => resolve());
        events.on('failed', ({ failedReason }) => reject(new Error(failedReason)));
      });
      await scheduleEventRetention(queue, DAYS);
      expect((await queue.getJobScheduler(RETENTION_SCHEDULER_ID))?.every).toBe(RETENTION_EVERY_MS);
      await completed;
      expect(await seqsOf(old)).toEqual([30, 31]);

      await scheduleEventRetention(queue, 0);
      expect(await queue.getJobScheduler(RETENTION_SCHEDULER_ID)).toBeUndefined();
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
