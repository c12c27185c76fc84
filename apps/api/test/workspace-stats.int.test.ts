import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, hostQueueName } from '@garrison/core';
import { TEST_REDIS_URL, type ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/**
 * Workspace usage and the list's extra columns as the API alone decides them (no worker runs
 * here): team scoping, state checks and the answer when no worker takes the sample request.
 * The sample itself is covered end to end by apps/worker/test/workspace-stats.docker.test.ts.
 */
let fx: ApiFixture;
let statsQueue: Queue;
beforeAll(async () => {
  fx = await startApiFixture({ WORKSPACE_RPC_CLAIM_TIMEOUT_MS: '300' });
  statsQueue = new Queue(hostQueueName(QueueName.WorkspaceStats, 'host-s'), { connection: { url: TEST_REDIS_URL }, prefix: fx.redisPrefix });
});
afterAll(async () => {
  await statsQueue?.obliterate({ force: true }).catch(() => {});
  await statsQueue?.close();
  await fx?.close();
});

async function workspaceIn(client: ApiClient, status: 'running' | 'stopped' | 'paused' | 'creating', templateId?: string) {
  const body = { name: `ws-${status}-${Math.random().toString(36).slice(2, 7)}`, ...(templateId ? { templateId } : {}) };
  const id = (await client.post('/api/v1/workspaces', body)).body.id as string;
  await fx.api.db.prisma.workspace.update({ where: { id }, data: { status } });
  return id;
}

describe('GET /workspaces/:id/stats without a worker', () => {
  it("answers 404 for another team's workspace", async () => {
    const { client: owner } = await fx.signedIn();
    const { client: stranger } = await fx.signedIn();
    const id = await workspaceIn(owner, 'running');
    const response = await stranger.get(`/api/v1/workspaces/${id}/stats`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('workspace_not_found');
  });

  it.each([
    ['stopped', /start it/],
    ['paused', /resume it/],
    ['creating', /wait until it is running/],
  ] as const)('answers 409 while the workspace is %s, saying what to do', async (status, next) => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, status);
    const response = await client.get(`/api/v1/workspaces/${id}/stats`);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'invalid_workspace_state', details: { status } });
    expect(response.body.message).toMatch(next);
  });

  it("answers 503 naming the host when its worker does not take the request, and withdraws it", async () => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, 'running');
    await fx.api.db.prisma.workspace.update({ where: { id }, data: { workerHost: { connectOrCreate: { where: { id: 'host-s' }, create: { id: 'host-s', hostname: 'host-s' } } } } });
    const response = await client.get(`/api/v1/workspaces/${id}/stats`);
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('service_unavailable');
    expect(response.body.message).toContain('host-s');
    const counts = await statsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
  });
});

describe('workspace list and detail', () => {
  it("include the template's image, network policy and limits, and mission counts", async () => {
    const { client, team } = await fx.signedIn();
    const template = (await client.post('/api/v1/templates', { name: 'small', image: 'garrison/workspace:dev', memoryMb: 256, cpus: 0.5, pidsLimit: 64, networkPolicy: 'none' })).body;
    const id = await workspaceIn(client, 'running', template.id);
    const other = await workspaceIn(client, 'stopped', template.id);
    // One finished and one open mission, written directly: no worker runs them here.
    for (const status of ['completed', 'queued'] as const) {
      await fx.api.db.prisma.mission.create({ data: { teamId: team.teamId, workspaceId: id, agent: 'shell', prompt: 'true', status, authorId: team.userId } });
    }
    const listed = (await client.get('/api/v1/workspaces')).body.workspaces;
    const row = listed.find((w: { id: string }) => w.id === id);
    expect(row).toMatchObject({
      template: { id: template.id, name: 'small', image: 'garrison/workspace:dev' },
      networkPolicy: 'none',
      limits: { cpus: 0.5, memoryMb: 256, pidsLimit: 64 },
      missions: { total: 2, open: 1 },
    });
    expect(listed.find((w: { id: string }) => w.id === other)).toMatchObject({ missions: { total: 0, open: 0 } });
    const detail = await client.get(`/api/v1/workspaces/${id}`);
    expect(detail.body).toMatchObject({ id, limits: { memoryMb: 256 }, missions: { total: 2, open: 1 } });
  });

  it("shows the default template's limits once a workspace's own template is gone", async () => {
    const { client } = await fx.signedIn();
    const template = (await client.post('/api/v1/templates', { name: 'short-lived', image: 'garrison/workspace:dev', memoryMb: 300 })).body;
    const id = await workspaceIn(client, 'stopped', template.id);
    await fx.api.db.prisma.workspaceTemplate.delete({ where: { id: template.id } });
    const fallback = await fx.api.db.prisma.workspaceTemplate.findFirst({ where: { teamId: null, name: 'default' } });
    const body = (await client.get(`/api/v1/workspaces/${id}`)).body;
    if (fallback) expect(body).toMatchObject({ template: { id: fallback.id }, limits: { memoryMb: fallback.memoryMb } });
    else expect(body).toMatchObject({ template: null, limits: null });
  });
});
