import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { openStackFixture, waitFor, type ApiClient, type StackFixture } from '@garrison/testkit';

let fixture: StackFixture | undefined;
let client: ApiClient;

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ client } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function dispatch(workspaceId: string, prompt: string): Promise<string> {
  return (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
}

async function waitForEnd(missionId: string) {
  return waitFor(
    async () => {
      const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
      return ['completed', 'failed', 'canceled', 'interrupted'].includes(mission.status) ? mission : null;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'mission end' },
  );
}

/** When the mission went running and when its agent's result was written, from its own events. */
async function runWindow(missionId: string): Promise<{ start: number; end: number }> {
  const events = (await client.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events as MissionEvent[];
  const running = events.find((e) => e.type === 'mission.status' && e.payload.status === 'running')!;
  const result = events.find((e) => e.type === 'mission.result')!;
  return { start: Date.parse(running.ts), end: Date.parse(result.ts) };
}

describe('per-workspace concurrency', () => {
  it('runs one mission at a time in a workspace, in the order they came, showing the line', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'serial' })).body.id;
    const first = await dispatch(workspaceId, 'echo first; sleep 1.5');
    const second = await dispatch(workspaceId, 'echo second');
    const third = await dispatch(workspaceId, 'echo third');
    await waitFor(async () => (await client.get(`/api/v1/missions/${first}`)).body.status === 'running', { timeoutMs: 60_000, what: 'first running' });
    expect((await client.get(`/api/v1/missions/${second}`)).body).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect((await client.get(`/api/v1/missions/${third}`)).body).toMatchObject({ status: 'queued', queuePosition: 2 });

    for (const id of [first, second, third]) expect((await waitForEnd(id)).status).toBe('completed');
    const [a, b, c] = await Promise.all([runWindow(first), runWindow(second), runWindow(third)]);
    expect(b.start).toBeGreaterThanOrEqual(a.end);
    expect(c.start).toBeGreaterThanOrEqual(b.end);
    // A finishing mission wakes the next one at once rather than at its next poll.
    expect(b.start - a.end).toBeLessThan(1500);
  });

  it('runs missions side by side up to a workspace\'s own limit', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'parallel', maxConcurrent: 2 })).body.id;
    const ids = [await dispatch(workspaceId, 'sleep 1; echo a'), await dispatch(workspaceId, 'sleep 1; echo b')];
    for (const id of ids) expect((await waitForEnd(id)).status).toBe('completed');
    const [a, b] = await Promise.all(ids.map(runWindow));
    expect(Math.max(a!.start, b!.start)).toBeLessThan(Math.min(a!.end, b!.end));
  });

  it('lets a queued mission be canceled while it waits its turn', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'cancel-waiting' })).body.id;
    const blocker = await dispatch(workspaceId, 'sleep 2');
    const waiting = await dispatch(workspaceId, 'echo never');
    await waitFor(async () => (await client.get(`/api/v1/missions/${blocker}`)).body.status === 'running', { timeoutMs: 60_000 });
    expect((await client.post(`/api/v1/missions/${waiting}/cancel`)).body.status).toBe('canceled');
    expect((await waitForEnd(blocker)).status).toBe('completed');
    const events = (await client.get(`/api/v1/missions/${waiting}/events`)).body.events as MissionEvent[];
    expect(events.map((e) => e.payload.status)).toEqual(['queued', 'canceled']);
  });
});
