import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissionStatus } from '@garrison/core';
import type { TestTeam } from '@garrison/testkit';
import type { ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
let client: ApiClient;
let team: TestTeam;
let other: { client: ApiClient; team: TestTeam };
let helperId: string;
const ids: Record<string, string> = {};
let alpha: string;
let beta: string;

const HOUR = 3600_000;
const base = Date.now() - 10 * HOUR;

/** Seeds missions with known times, costs and authors, straight into Postgres. */
async function seed(name: string, input: { workspaceId: string; status: MissionStatus; agent?: string; prompt: string; ageH: number; durationS?: number; costUsd?: number; authorId?: string; reviewStatus?: 'ready_for_review' | 'merged' | 'discarded' }) {
  const createdAt = new Date(base + input.ageH * HOUR);
  const startedAt = input.durationS === undefined ? null : new Date(createdAt.getTime() + 1000);
  const mission = await fx.api.db.prisma.mission.create({
    data: {
      teamId: team.teamId,
      workspaceId: input.workspaceId,
      authorId: input.authorId ?? team.userId,
      agent: input.agent ?? 'shell',
      prompt: input.prompt,
      status: input.status,
      createdAt,
      startedAt,
      endedAt: startedAt && input.durationS !== undefined ? new Date(startedAt.getTime() + input.durationS * 1000) : null,
      costUsd: input.costUsd ?? null,
      reviewStatus: input.reviewStatus ?? 'none',
    },
  });
  ids[name] = mission.id;
}

beforeAll(async () => {
  fx = await startApiFixture();
  ({ client, team } = await fx.signedIn());
  other = await fx.signedIn();
  alpha = (await client.post('/api/v1/workspaces', { name: 'alpha' })).body.id;
  beta = (await client.post('/api/v1/workspaces', { name: 'beta' })).body.id;
  const helper = await fx.api.db.prisma.user.create({ data: { email: `helper-${randomBytes(4).toString('hex')}@test.garrison.dev`, passwordHash: 'x' } });
  helperId = helper.id;
  await seed('one', { workspaceId: alpha, status: 'completed', prompt: 'Fix the Login bug\nsecond line', ageH: 1, durationS: 30, costUsd: 0.5, reviewStatus: 'ready_for_review' });
  await seed('two', { workspaceId: alpha, status: 'failed', prompt: 'refactor login form', ageH: 2, durationS: 120, costUsd: 2, reviewStatus: 'discarded' });
  await seed('three', { workspaceId: beta, status: 'running', agent: 'claude-code', prompt: 'write docs', ageH: 3, durationS: 10, costUsd: 1 });
  await seed('four', { workspaceId: beta, status: 'queued', prompt: 'add 100% coverage', ageH: 4 });
  await seed('five', { workspaceId: alpha, status: 'waiting_approval', agent: 'claude-code', prompt: 'deploy', ageH: 5, durationS: 5, authorId: helperId });
  await seed('six', { workspaceId: beta, status: 'canceled', prompt: 'login again', ageH: 6, durationS: 60, costUsd: 0.25, reviewStatus: 'merged' });
  await seed('seven', { workspaceId: alpha, status: 'completed', prompt: 'LOGIN audit', ageH: 7, durationS: 90, costUsd: 3, reviewStatus: 'ready_for_review' });
  // Another team's mission matches every search below and must never show up.
  const foreign = (await other.client.post('/api/v1/workspaces', { name: 'alpha' })).body.id;
  await fx.api.db.prisma.mission.create({ data: { teamId: other.team.teamId, workspaceId: foreign, authorId: other.team.userId, agent: 'shell', prompt: 'login everything', status: 'completed', reviewStatus: 'ready_for_review' } });
});
afterAll(async () => {
  await fx?.api.db.prisma.user.deleteMany({ where: { id: helperId } });
  await fx?.close();
});

async function board(query: string): Promise<{ names: string[]; body: any }> {
  const response = await client.get(`/api/v1/missions?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return { names: response.body.missions.map((mission: { id: string }) => byId.get(mission.id) ?? 'FOREIGN'), body: response.body };
}

describe('GET /api/v1/missions as the missions board', () => {
  it('lists newest first with workspace name, author email, duration and page counts', async () => {
    const { names, body } = await board('');
    expect(names).toEqual(['seven', 'six', 'five', 'four', 'three', 'two', 'one']);
    expect(body).toMatchObject({ total: 7, page: 1, pageSize: 50, pageCount: 1 });
    const seven = body.missions[0];
    expect(seven).toMatchObject({ workspaceName: 'alpha', authorEmail: team.email, durationS: 90, status: 'completed', agent: 'shell' });
    expect(seven.usage.costUsd).toBe(3);
    expect(body.missions.find((mission: { id: string }) => mission.id === ids.five).authorEmail).toMatch(/^helper-/);
    expect(body.missions.find((mission: { id: string }) => mission.id === ids.four).durationS).toBeNull();
  });

  it('filters by a status list, agent, workspace and author', async () => {
    expect((await board('status=completed,failed')).names).toEqual(['seven', 'two', 'one']);
    expect((await board('status=running, waiting_approval')).names).toEqual(['five', 'three']);
    expect((await board('agent=claude-code')).names).toEqual(['five', 'three']);
    expect((await board(`workspaceId=${beta}`)).names).toEqual(['six', 'four', 'three']);
    expect((await board(`authorId=${helperId}`)).names).toEqual(['five']);
    expect((await board(`workspaceId=${alpha}&status=completed`)).body.total).toBe(2);
  });

  it('filters by review status: waiting for review, merged or discarded', async () => {
    const ready = await board('reviewStatus=ready_for_review');
    expect(ready.names).toEqual(['seven', 'one']);
    expect(ready.body.missions[0].reviewStatus).toBe('ready_for_review');
    expect((await board('reviewStatus=merged')).names).toEqual(['six']);
    expect((await board('reviewStatus=discarded')).names).toEqual(['two']);
    expect((await board(`reviewStatus=ready_for_review&workspaceId=${alpha}&q=login`)).body.total).toBe(2);
    expect((await board(`reviewStatus=merged&workspaceId=${alpha}`)).body).toMatchObject({ missions: [], total: 0 });
  });

  it('searches prompts case-insensitively and ids by prefix, taking % literally', async () => {
    expect((await board('q=login')).names).toEqual(['seven', 'six', 'two', 'one']);
    expect((await board(`q=${ids.three!.slice(0, 10)}`)).names).toEqual(['three']);
    expect((await board('q=100%25')).names).toEqual(['four']);
    expect((await board('q=%25')).names).toEqual(['four']);
    expect((await board('q=nothing-like-this')).body).toMatchObject({ missions: [], total: 0, pageCount: 1 });
  });

  it('sorts by duration, cost and creation, either way, missing values last', async () => {
    expect((await board('sort=duration&order=desc')).names).toEqual(['two', 'seven', 'six', 'one', 'three', 'five', 'four']);
    expect((await board('sort=duration&order=asc')).names).toEqual(['five', 'three', 'one', 'six', 'seven', 'two', 'four']);
    expect((await board('sort=cost&order=desc&status=completed,failed,canceled')).names).toEqual(['seven', 'two', 'one', 'six']);
    expect((await board('sort=created&order=asc')).names).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven']);
  });

  it('pages with a total, and past the end still counts', async () => {
    const second = await board('pageSize=3&page=2');
    expect(second.names).toEqual(['four', 'three', 'two']);
    expect(second.body).toMatchObject({ total: 7, page: 2, pageSize: 3, pageCount: 3 });
    expect((await board('pageSize=3&page=3')).names).toEqual(['one']);
    expect((await board('pageSize=3&page=9')).body).toMatchObject({ missions: [], total: 7, pageCount: 3 });
  });

  it('keeps ?limit= working for older callers', async () => {
    const { names, body } = await board('limit=2');
    expect(names).toEqual(['seven', 'six']);
    expect(body.pageSize).toBe(2);
    expect((await board(`workspaceId=${beta}&limit=20`)).names).toEqual(['six', 'four', 'three']);
  });

  it.each([
    ['status=bogus', 'status'],
    ['status=,', 'status'],
    ['agent=gpt', 'agent'],
    ['sort=name', 'sort'],
    ['order=up', 'order'],
    ['page=0', 'page'],
    ['pageSize=500', 'pageSize'],
    ['pageSize=abc', 'pageSize'],
    ['reviewStatus=none', 'reviewStatus'],
    ['reviewStatus=approved', 'reviewStatus'],
  ])('refuses %s with invalid_input naming %s', async (query, field) => {
    const response = await client.get(`/api/v1/missions?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_input');
    expect(response.body.details.fields.map((entry: { field: string }) => entry.field)).toContain(field);
    expect(response.body.message).toContain(field);
  });
});
