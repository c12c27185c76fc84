import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_STALE_INTERVALS, HEARTBEAT_INTERVAL_MS, type HostResources, type MissionStatus, type Overview } from '@garrison/core';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
const hostIds: string[] = [];
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.api.db.prisma.workerHost.deleteMany({ where: { id: { in: hostIds } } });
  await fx?.close();
});

const DAY = 86_400_000;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

describe('GET /api/v1/overview', () => {
  it("summarizes the caller's team: attention, queue, workspaces, results, daily series", async () => {
    const { client, team } = await fx.signedIn();
    const stranger = await fx.signedIn();
    const db = fx.api.db.prisma;
    const alpha = (await client.post('/api/v1/workspaces', { name: 'alpha' })).body.id as string;
    const beta = (await client.post('/api/v1/workspaces', { name: 'beta' })).body.id as string;
    await db.workspace.update({ where: { id: beta }, data: { status: 'running' } });
    const now = Date.now();
    const mission = (status: MissionStatus, extra: Record<string, unknown> = {}) =>
      db.mission.create({ data: { teamId: team.teamId, workspaceId: alpha, authorId: team.userId, agent: 'shell', prompt: `\n  ${status} task\nmore`, status, ...extra } });

    const running = await mission('running', { updatedAt: new Date(now - 60_000), startedAt: new Date(now - 60_000) });
    const input = await mission('waiting_input', { updatedAt: new Date(now - 30_000) });
    const approval = await mission('waiting_approval', { updatedAt: new Date(now - 10_000) });
    await mission('queued');
    await mission('queued');
    // Ended today with durations 10, 20, 30, 40 and 100 s; one yesterday.
    const outcomes: [MissionStatus, number][] = [['completed', 10], ['completed', 20], ['failed', 30], ['canceled', 40], ['interrupted', 100]];
    let last = '';
    for (const [index, [status, seconds]] of outcomes.entries()) {
      const endedAt = new Date(now - 1000 * (index + 1));
      last = (await mission(status, { startedAt: new Date(endedAt.getTime() - seconds * 1000), endedAt, costUsd: 0.25 })).id;
    }
    const yesterday = new Date(now - DAY);
    await mission('blocked', { createdAt: yesterday, startedAt: yesterday, endedAt: new Date(yesterday.getTime() + 5000) });
    await db.modelCall.createMany({
      data: [0.5, 0.25].map((costUsd) => ({ missionId: running.id, teamId: team.teamId, workspaceId: alpha, provider: 'anthropic', api: 'messages', httpStatus: 200, costUsd, durationMs: 100 })),
    });
    // Another team's rows count nowhere.
    const foreign = (await stranger.client.post('/api/v1/workspaces', { name: 'x' })).body.id as string;
    await db.mission.create({ data: { teamId: stranger.team.teamId, workspaceId: foreign, agent: 'shell', prompt: 'theirs', status: 'waiting_approval' } });
    // And one dispatched through the API, so the BullMQ queue holds a job.
    await client.post('/api/v1/missions', { workspaceId: alpha, agent: 'shell', prompt: 'via api' });

    const response = await client.get('/api/v1/overview');
    expect(response.status).toBe(200);
    const overview = response.body as Overview;

    expect(overview.attention.map((entry) => entry.id)).toEqual([input.id, approval.id, running.id]);
    expect(overview.attention[0]).toMatchObject({ status: 'waiting_input', workspaceName: 'alpha', workspaceId: alpha, title: 'waiting_input task', agent: 'shell' });
    expect(Date.parse(overview.attention[0]!.since)).toBe(now - 30_000);

    expect(overview.queue).toMatchObject({ queued: 3, provisioning: 0 });
    expect(overview.queue.jobsWaiting).toBe(1);
    expect(overview.queue.jobsActive).toBe(0);

    expect(overview.workspaces.total).toBe(2);
    expect(overview.workspaces.byStatus).toEqual({ creating: 1, running: 1 });
    expect(overview.workspaces.recent.map((workspace) => workspace.name).sort()).toEqual(['alpha', 'beta']);

    expect(overview.recent).toHaveLength(6);
    expect(overview.recent[0]).toMatchObject({ status: 'completed', durationS: 10, costUsd: 0.25, title: 'completed task', workspaceName: 'alpha' });
    expect(overview.recent.at(-1)!.status).toBe('blocked');
    expect(overview.recent.map((entry) => entry.id)).toContain(last);

    expect(overview.daily).toHaveLength(14);
    expect(overview.daily.at(-1)!.day).toBe(utcDay(new Date()));
    expect(overview.daily[0]!.day).toBe(utcDay(new Date(Date.now() - 13 * DAY)));
    const today = overview.daily.at(-1)!;
    expect(today.outcomes).toEqual({ completed: 2, failed: 1, canceled: 1, blocked: 0, interrupted: 1 });
    expect(today.durationMedianS).toBe(30);
    expect(today.durationP90S).toBe(76);
    expect(today.costUsd).toBe(0.75);
    expect(today.started).toBe(11);
    const before = overview.daily.at(-2)!;
    expect(before.outcomes.blocked).toBe(1);
    expect(before.started).toBe(1);
    expect(overview.daily.slice(0, 12).every((day) => day.started === 0 && day.costUsd === 0 && day.durationMedianS === null)).toBe(true);
  });

  it('lists every worker host with its resources, marking stale ones', async () => {
    const { client } = await fx.signedIn();
    const resources: HostResources = {
      cpu: { cores: 2, load1: 0.5, busyPercent: 12.5 },
      memory: { totalBytes: 8e9, availableBytes: 3e9 },
      disk: { path: '/var/lib/docker', totalBytes: 100e9, freeBytes: 40e9 },
      containers: { running: 3, total: 5, workspacesRunning: 2 },
      collectedAt: new Date().toISOString(),
    };
    const fresh = `host-${randomBytes(4).toString('hex')}`;
    const stale = `host-${randomBytes(4).toString('hex')}`;
    hostIds.push(fresh, stale);
    await fx.api.db.prisma.workerHost.create({ data: { id: fresh, hostname: 'fresh.local', resources } });
    await fx.api.db.prisma.workerHost.create({ data: { id: stale, hostname: 'gone.local', lastSeenAt: new Date(Date.now() - (HOST_STALE_INTERVALS + 1) * HEARTBEAT_INTERVAL_MS) } });
    const overview = (await client.get('/api/v1/overview')).body as Overview;
    expect(overview.hosts.find((host) => host.id === fresh)).toMatchObject({ hostname: 'fresh.local', stale: false, resources });
    expect(overview.hosts.find((host) => host.id === stale)).toMatchObject({ hostname: 'gone.local', stale: true, resources: null });
  });

  it('answers a new team with zeros, not errors', async () => {
    const { client } = await fx.signedIn();
    const overview = (await client.get('/api/v1/overview')).body as Overview;
    expect(overview.attention).toEqual([]);
    expect(overview.recent).toEqual([]);
    expect(overview.workspaces).toEqual({ total: 0, byStatus: {}, recent: [] });
    expect(overview.queue).toMatchObject({ queued: 0, provisioning: 0 });
    expect(overview.daily).toHaveLength(14);
  });

  it('needs a signed-in caller', async () => {
    const response = await fetch(`${fx.api.url}/api/v1/overview`);
    expect(response.status).toBe(401);
  });
});
