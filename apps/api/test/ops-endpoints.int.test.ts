import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEventsCounterKey, workerHeartbeatsKey, type WorkerHeartbeat } from '@garrison/core';
import { TEST_REDIS_URL, deleteTeam, seedTeam, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

const METRICS_TOKEN = randomBytes(24).toString('hex');
let fx: ApiFixture;
let team: TestTeam;
let redis: Redis;
const hostId = `metrics-host-${randomBytes(4).toString('hex')}`;

async function scrape(token: string | null = METRICS_TOKEN): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${fx.api.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample line, e.g. sample(text, 'garrison_queue_jobs{queue="missions",state="delayed"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function ready(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fx.api.url}/api/v1/ready`);
  return { status: response.status, body: await response.json() };
}

async function beat(docker: 'ok' | 'down', at = new Date()): Promise<void> {
  const heartbeat: WorkerHeartbeat = { hostId, docker, dockerVersion: '20.10', agentCommands: null, at: at.toISOString() };
  await redis.hset(workerHeartbeatsKey(fx.redisPrefix), hostId, JSON.stringify(heartbeat));
}

beforeAll(async () => {
  fx = await startApiFixture({ METRICS_TOKEN });
  team = await seedTeam(fx.api.db);
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis.del(workerHeartbeatsKey(fx.redisPrefix), storedEventsCounterKey(fx.redisPrefix));
  redis.disconnect();
  await fx.api.db.prisma.workerHost.deleteMany({ where: { id: hostId } });
  await deleteTeam(fx.api.db, team);
  await fx.close();
});

describe('GET /api/v1/ready', () => {
  it('is 503 until a worker with a fresh heartbeat sees Docker, then 200', async () => {
    expect(await ready()).toEqual({ status: 503, body: { ready: false, db: 'ok', redis: 'ok', workers: 0 } });

    await beat('ok', new Date(Date.now() - 60_000));
    expect((await ready()).body).toMatchObject({ ready: false, workers: 0 });

    await beat('down');
    expect((await ready()).status).toBe(503);

    await beat('ok');
    expect(await ready()).toEqual({ status: 200, body: { ready: true, db: 'ok', redis: 'ok', workers: 1 } });
  });
});

describe('GET /metrics', () => {
  it('wants METRICS_TOKEN as a bearer token', async () => {
    const anonymous = await scrape(null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ code: 'unauthenticated' });
    expect((await scrape('x'.repeat(METRICS_TOKEN.length))).status).toBe(401);
  });

  it('reports queue depth, missions, stored events, dispatch latency and containers in the text format', async () => {
    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);

    await fx.missionsQueue.add('run', { missionId: 'metrics-probe' }, { delay: 3_600_000, jobId: `metrics-${hostId}` });
    await redis.incrby(storedEventsCounterKey(fx.redisPrefix), 42);
    const workspaceId = (await fx.api.db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'metrics', status: 'ready' } })).id;
    const createdAt = new Date(Date.now() - 60_000);
    await fx.api.db.prisma.mission.create({
      data: { teamId: team.teamId, workspaceId, authorId: team.userId, agent: 'shell', prompt: 'true', status: 'running', createdAt, startedAt: new Date(createdAt.getTime() + 2_000) },
    });
    const resources = {
      cpu: { cores: 2, load1: 0.5, busyPercent: null },
      memory: { totalBytes: 1, availableBytes: 1 },
      disk: null,
      containers: { running: 3, total: 5, workspacesRunning: 2 },
      collectedAt: new Date().toISOString(),
    };
    await fx.api.db.prisma.workerHost.create({ data: { id: hostId, hostname: 'metrics-test', capacity: 4, resources, lastSeenAt: new Date() } });

    const after = await scrape();
    expect(after.status).toBe(200);
    const text = after.text;
    for (const name of ['garrison_queue_jobs', 'garrison_missions_running', 'garrison_events_stored_total', 'garrison_dispatch_latency_seconds', 'garrison_containers']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'garrison_queue_jobs{queue="missions",state="delayed"}')).toBe(1);
    expect(sample(text, 'garrison_queue_jobs{queue="maintenance",state="waiting"}')).toBe(0);
    expect(sample(text, 'garrison_events_stored_total')).toBe(42);
    expect(sample(text, `garrison_containers{host="${hostId}",kind="running"}`)).toBe(3);
    expect(sample(text, `garrison_containers{host="${hostId}",kind="workspaces_running"}`)).toBe(2);

    // Postgres is shared with other test files, so the mission figures are compared as growth.
    const grew = (series: string) => (sample(text, series) ?? 0) - (sample(before.text, series) ?? 0);
    expect(grew('garrison_missions_running')).toBeGreaterThanOrEqual(1);
    expect(grew('garrison_dispatch_latency_seconds_bucket{le="2.5"}')).toBeGreaterThanOrEqual(1);
    expect(grew('garrison_dispatch_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(grew('garrison_dispatch_latency_seconds_sum')).toBeGreaterThanOrEqual(2);
    // Buckets are cumulative and end in +Inf = count.
    const buckets = text.split('\n').filter((line) => line.startsWith('garrison_dispatch_latency_seconds_bucket')).map((line) => Number(line.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(sample(text, 'garrison_dispatch_latency_seconds_bucket{le="+Inf"}')).toBe(sample(text, 'garrison_dispatch_latency_seconds_count'));
  });
});
