import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@garrison/core';
import type { Db } from '@garrison/db';
import { MissionWatcher, TEST_REDIS_URL, openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture } from '@garrison/testkit';
import { expectExact as expectExactTicks, tickingPrompt, waitForStatus as waitForMissionStatus } from './fault-kit.ts';

let fixture: StackFixture | undefined;
let stack: RunningStack;
let client: ApiClient;
let db: Db;
let workspaceId: string;

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ stack, client, db } = fixture);
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'faults' })).body.id;
});

afterAll(async () => {
  await fixture?.close();
});

const TICKS = 40;
const ticking = tickingPrompt(TICKS);
const waitForStatus = (missionId: string, status: string) => waitForMissionStatus(db, missionId, status);
const expectExact = (missionId: string, watcher: MissionWatcher) => expectExactTicks(client, missionId, watcher, TICKS);

describe('mission pipeline under faults', () => {
  it('a gracefully stopped worker leaves the agent running; the next one follows it from the last seq', async () => {
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: ticking })).body.id;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'tick 5'), { timeoutMs: 60_000, what: 'tick 5' });
    await stack.worker.stop('SIGTERM');
    stack.worker.start();
    await waitForStatus(missionId, 'completed');
    await expectExact(missionId, watcher);
    watcher.close();
  });

  it('the same mission delivered twice produces one set of events and one ending', async () => {
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: ticking })).body.id;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'tick 3'), { timeoutMs: 60_000, what: 'tick 3' });
    // A second job for the same mission, as a redelivery would be: it must claim nothing new.
    const queue = new Queue(QueueName.Missions, { connection: { url: TEST_REDIS_URL }, prefix: stack.redisPrefix });
    await queue.add('run', { missionId }, { jobId: `${missionId}-again` });
    await queue.close();
    await waitForStatus(missionId, 'completed');
    await expectExact(missionId, watcher);
    const attempts = await db.prisma.missionAttempt.count({ where: { missionId } });
    expect(attempts).toBe(1);
    watcher.close();
  });

  it('a client watching across an API restart resumes from its last seq with nothing lost or doubled', async () => {
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: ticking })).body.id;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'tick 5'), { timeoutMs: 60_000, what: 'tick 5' });
    await stack.api.restart('SIGTERM');
    await waitFor(async () => (await fetch(`${stack.apiUrl}/api/v1/health`).catch(() => null))?.ok ?? false, { timeoutMs: 60_000, what: 'api back' });
    await waitForStatus(missionId, 'completed');
    await expectExact(missionId, watcher);
    watcher.close();
  });
});
