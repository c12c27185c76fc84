import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ApiClient, deleteTeam, seedTeam } from '@garrison/testkit';
import { hashToken } from '../src/auth/secrets.ts';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('health', () => {
  it('reports each dependency, and not ok while no worker reports Docker', async () => {
    const response = await new ApiClient(fx.api.url).get('/api/v1/health');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ ok: false, db: 'ok', redis: 'ok', docker: 'no_worker' });
  });
});

describe('auth', () => {
  it('refuses a wrong password with a stable code and sets no cookie', async () => {
    const team = await seedTeam(fx.api.db);
    onTestFinished(() => deleteTeam(fx.api.db, team));
    const response = await fetch(`${fx.api.url}/api/v1/auth/login`, {
      method: 'POST',
      // A same-origin page (what the browser sends as Origin) needs no CSRF token to sign in.
      headers: { 'content-type': 'application/json', origin: fx.api.url },
      body: JSON.stringify({ email: team.email, password: 'wrong-password' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('invalid_credentials');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('sets an httpOnly session cookie that authenticates later requests', async () => {
    const { client, team } = await fx.signedIn();
    const cookie = client.sessionCookie!;
    expect(cookie).toMatch(/^garrison_session=gs_/);
    const me = await client.get('/api/v1/auth/me');
    expect(me.body).toMatchObject({ user: { email: team.email }, teamId: team.teamId, role: 'owner' });
  });

  it('answers 401 without credentials', async () => {
    const response = await new ApiClient(fx.api.url).get('/api/v1/missions');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('issues an API token once, stores only its hash, and accepts it as a bearer', async () => {
    const { client, team } = await fx.signedIn();
    const created = await client.post('/api/v1/tokens', { name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci' });
    const row = await fx.api.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.tokenHash).toBe(hashToken(created.body.token));
    expect(JSON.stringify(row)).not.toContain(created.body.token);
    const viaToken = await new ApiClient(fx.api.url, created.body.token).get('/api/v1/auth/me');
    expect(viaToken.body.teamId).toBe(team.teamId);
    const forged = await new ApiClient(fx.api.url, `${created.body.token}x`).get('/api/v1/auth/me');
    expect(forged.status).toBe(401);
  });
});

describe('workspaces', () => {
  it('creates, lists and reads a workspace of the caller team only', async () => {
    const { client } = await fx.signedIn();
    const created = await client.post('/api/v1/workspaces', { name: 'alpha' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'alpha', status: 'creating', allowedOperations: ['destroy'] });
    const job = (await fx.workspaceOpsQueue.getJobs(['waiting', 'delayed', 'active'])).find((j) => j.data.workspaceId === created.body.id);
    expect(job?.data).toEqual({ workspaceId: created.body.id, operation: 'provision', actor: expect.any(String) });
    expect((await client.get('/api/v1/workspaces')).body.workspaces.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
    expect((await client.get(`/api/v1/workspaces/${created.body.id}`)).body.name).toBe('alpha');

    const { client: stranger } = await fx.signedIn();
    const foreign = await stranger.get(`/api/v1/workspaces/${created.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('workspace_not_found');
  });

  it('refuses a duplicate or empty name', async () => {
    const { client } = await fx.signedIn();
    await client.post('/api/v1/workspaces', { name: 'same' });
    const duplicate = await client.post('/api/v1/workspaces', { name: 'same' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('conflict');
    const empty = await client.post('/api/v1/workspaces', { name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('invalid_input');
  });
});

describe('workspace lifecycle requests', () => {
  async function workspaceIn(status: 'running' | 'stopped' | 'paused') {
    const { client, team } = await fx.signedIn();
    const workspace = (await client.post('/api/v1/workspaces', { name: 'life' })).body;
    await fx.api.db.prisma.workspace.update({ where: { id: workspace.id }, data: { status } });
    return { client, team, workspace };
  }

  it('queues an operation the status allows and answers 202 with it', async () => {
    const { client, workspace } = await workspaceIn('running');
    const response = await client.post(`/api/v1/workspaces/${workspace.id}/stop`);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: workspace.id, status: 'running', operation: 'stop' });
    const jobs = await fx.workspaceOpsQueue.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.some((job) => job.data.workspaceId === workspace.id && job.data.operation === 'stop')).toBe(true);
  });

  it('refuses an operation the status does not allow, naming the possible ones', async () => {
    const { client, workspace } = await workspaceIn('stopped');
    const response = await client.post(`/api/v1/workspaces/${workspace.id}/pause`);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('invalid_workspace_state');
    expect(response.body.message).toMatch(/stopped.*possible: start, rebuild, destroy/);
  });

  it('refuses to stop, pause, rebuild or destroy a workspace with open missions', async () => {
    const { client, workspace } = await workspaceIn('running');
    await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'sleep 1' });
    for (const operation of ['stop', 'pause', 'rebuild']) {
      const response = await client.post(`/api/v1/workspaces/${workspace.id}/${operation}`);
      expect(response.status, operation).toBe(409);
      expect(response.body.code).toBe('workspace_busy');
    }
    const destroy = await client.request('DELETE', `/api/v1/workspaces/${workspace.id}`, { confirmName: 'life' });
    expect(destroy.body.code).toBe('workspace_busy');
  });

  it('destroys only when the name is repeated exactly', async () => {
    const { client, workspace } = await workspaceIn('stopped');
    const wrong = await client.request('DELETE', `/api/v1/workspaces/${workspace.id}`, { confirmName: 'Life' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('confirmation_mismatch');
    const missing = await client.request('DELETE', `/api/v1/workspaces/${workspace.id}`, {});
    expect(missing.body.code).toBe('invalid_input');
    const right = await client.request('DELETE', `/api/v1/workspaces/${workspace.id}`, { confirmName: 'life' });
    expect(right.status).toBe(202);
    expect(right.body.operation).toBe('destroy');
  });

  it('hides another team\'s workspace from every operation', async () => {
    const { workspace } = await workspaceIn('running');
    const { client: stranger } = await fx.signedIn();
    for (const operation of ['start', 'stop', 'pause', 'resume', 'rebuild']) {
      expect((await stranger.post(`/api/v1/workspaces/${workspace.id}/${operation}`)).status).toBe(404);
    }
    expect((await stranger.request('DELETE', `/api/v1/workspaces/${workspace.id}`, { confirmName: 'life' })).status).toBe(404);
  });
});

describe('missions', () => {
  it('stores a queued mission with its first event and queues a job holding only its id', async () => {
    const { client } = await fx.signedIn();
    const workspace = (await client.post('/api/v1/workspaces', { name: 'ws' })).body;
    const created = await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo hi' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'queued', agent: 'shell', workspaceId: workspace.id });

    const job = await fx.missionsQueue.getJob(created.body.id);
    expect(job?.data).toEqual({ missionId: created.body.id });

    const events = await client.get(`/api/v1/missions/${created.body.id}/events?afterSeq=0`);
    expect(events.body.headSeq).toBe(1);
    expect(events.body.events).toEqual([
      expect.objectContaining({ seq: 1, type: 'mission.status', payload: { status: 'queued', previous: null, reason: null } }),
    ]);
    expect((await client.get('/api/v1/missions')).body.missions).toHaveLength(1);
  });

  it.each([
    ['an unknown workspace', { workspaceId: 'nope', agent: 'shell', prompt: 'x' }, 404, 'workspace_not_found'],
    ['an unknown agent', { agent: 'hal9000', prompt: 'x' }, 422, 'unknown_agent'],
    ['a model agent whose provider key the team has not set', { agent: 'codex', prompt: 'x' }, 409, 'provider_not_configured'],
    ['an unknown policy', { agent: 'shell', prompt: 'x', policy: 'yolo' }, 400, 'invalid_input'],
    ['limits that are not limits', { agent: 'shell', prompt: 'x', limits: { maxTurns: 0 } }, 400, 'invalid_input'],
    ['an unknown limit', { agent: 'shell', prompt: 'x', limits: { maxTokens: 5 } }, 400, 'invalid_input'],
    ['an empty prompt', { agent: 'shell', prompt: '   ' }, 400, 'invalid_input'],
    ['a missing prompt', { agent: 'shell' }, 400, 'invalid_input'],
    ['a prompt of the wrong type', { agent: 'shell', prompt: 42 }, 400, 'invalid_input'],
  ])('refuses %s and stores and queues nothing', async (_name, body, status, code) => {
    const { client, team } = await fx.signedIn();
    const workspace = (await client.post('/api/v1/workspaces', { name: 'ws' })).body;
    const queuedBefore = await fx.missionsQueue.count();
    const response = await client.post('/api/v1/missions', { workspaceId: workspace.id, ...body });
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect(response.body.message.length).toBeGreaterThan(10);
    expect(await fx.api.db.prisma.mission.count({ where: { teamId: team.teamId } })).toBe(0);
    expect(await fx.missionsQueue.count()).toBe(queuedBefore);
  });

  it('refuses malformed JSON with a stable code', async () => {
    const { client, team } = await fx.signedIn();
    const response = await client.request('POST', '/api/v1/missions', undefined, '{"agent": "shell", ');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('malformed_json');
    expect(await fx.api.db.prisma.mission.count({ where: { teamId: team.teamId } })).toBe(0);
  });

  it('hides another team\'s mission behind 404', async () => {
    const { client } = await fx.signedIn();
    const workspace = (await client.post('/api/v1/workspaces', { name: 'ws' })).body;
    const mission = (await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'true' })).body;
    const { client: stranger } = await fx.signedIn();
    for (const path of [`/api/v1/missions/${mission.id}`, `/api/v1/missions/${mission.id}/events`]) {
      const response = await stranger.get(path);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('mission_not_found');
    }
    expect((await stranger.post(`/api/v1/missions/${mission.id}/cancel`)).status).toBe(404);
  });

  it('cancels a queued mission on the spot, with who and why, once', async () => {
    const { client, team } = await fx.signedIn();
    const workspace = (await client.post('/api/v1/workspaces', { name: 'ws' })).body;
    const mission = (await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'sleep 100' })).body;
    const canceled = await client.post(`/api/v1/missions/${mission.id}/cancel`);
    expect(canceled.status).toBe(202);
    expect(canceled.body).toMatchObject({ status: 'canceled', statusReason: `canceled_by:${team.email}` });
    const again = await client.post(`/api/v1/missions/${mission.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('mission_finished');
    const events = (await client.get(`/api/v1/missions/${mission.id}/events`)).body.events;
    expect(events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(events[1].payload).toMatchObject({ status: 'canceled', previous: 'queued' });
  });

  it('validates event paging parameters', async () => {
    const { client } = await fx.signedIn();
    const response = await client.get('/api/v1/missions/x/events?afterSeq=-1');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_input');
  });
});
