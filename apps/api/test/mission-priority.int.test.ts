import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function shellWorkspace() {
  const { client } = await fx.signedIn();
  const workspaceId = (await client.post('/api/v1/workspaces', { name: 'prio' })).body.id as string;
  return { client, workspaceId };
}

describe('mission priority', () => {
  it('puts a higher priority first in line and first in the BullMQ queue, and shows it', async () => {
    const { client, workspaceId } = await shellWorkspace();
    const post = (priority?: number) => client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'true', ...(priority === undefined ? {} : { priority }) });
    const normal = (await post()).body;
    const urgent = (await post(7)).body;
    const later = (await post(-3)).body;
    expect([normal.priority, urgent.priority, later.priority]).toEqual([0, 7, -3]);

    const shown = await Promise.all([urgent, normal, later].map((m) => client.get(`/api/v1/missions/${m.id}`)));
    expect(shown.map((r) => [r.body.priority, r.body.queuePosition, r.body.eventsPrunedAt])).toEqual([[7, 1, null], [0, 2, null], [-3, 3, null]]);

    // BullMQ: lower runs first, and every mission job carries one (a job without runs before all).
    const jobs = await Promise.all([urgent, normal, later].map((m) => fx.missionsQueue.getJob(m.id)));
    expect(jobs.map((job) => job?.opts.priority)).toEqual([4, 11, 14]);
    // The order a free worker takes them in.
    const line = (await fx.missionsQueue.getJobs(['prioritized'], 0, -1, true)).map((job) => job.data.missionId);
    expect(line.filter((id) => [urgent.id, normal.id, later.id].includes(id))).toEqual([urgent.id, normal.id, later.id]);
  });

  it('refuses a priority out of range or not whole with 400, and creates nothing', async () => {
    const { client, workspaceId } = await shellWorkspace();
    for (const priority of [11, -11, 1.5, '3']) {
      const response = await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'true', priority });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('invalid_input');
      expect(response.body.message).toMatch(/^Invalid request: priority must be/);
    }
    expect((await client.get(`/api/v1/missions?workspaceId=${workspaceId}`)).body.missions).toEqual([]);
  });
});
