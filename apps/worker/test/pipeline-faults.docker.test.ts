import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, type MissionEvent } from '@garrison/core';
import type { Db } from '@garrison/db';
import { MissionWatcher, TEST_REDIS_URL, openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture } from '@garrison/testkit';

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
const ticking = `for i in $(seq 1 ${TICKS}); do echo "tick $i"; sleep 0.1; done`;

async function storedEvents(missionId: string): Promise<MissionEvent[]> {
  return (await client.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events;
}

async function waitForStatus(missionId: string, status: string) {
  return waitFor(
    async () => {
      const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } });
      return row.status === status ? row : null;
    },
    { timeoutMs: 90_000, intervalMs: 100, what: `mission ${status}` },
  );
}

/** Dense seq, every tick once and in order, one result, one terminal status; the client equals Postgres. */
async function expectExact(missionId: string, watcher: MissionWatcher): Promise<void> {
  const stored = await storedEvents(missionId);
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, index) => index + 1));
  expect(stored.filter((e) => e.type === 'process.output').map((e) => e.payload.text)).toEqual(Array.from({ length: TICKS }, (_, i) => `tick ${i + 1}`));
  expect(stored.filter((e) => e.type === 'mission.result')).toHaveLength(1);
  expect(stored.filter((e) => e.type === 'mission.status' && e.payload.status === 'completed')).toHaveLength(1);
  await waitFor(() => watcher.events.length === stored.length, { what: 'the client to hold everything' });
  expect(watcher.events).toEqual(stored);
}

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
