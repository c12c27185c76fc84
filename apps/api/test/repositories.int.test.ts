import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, hostQueueName } from '@garrison/core';
import { TEST_REDIS_URL, waitFor, type ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/**
 * Repositories and review as the API alone decides them (no worker runs here): validation, team
 * scoping, workspace state, what a mission may name, and that a token never comes back out.
 * The git work itself is covered by apps/worker/test/review.docker.test.ts.
 */
const CANARY = `ghp_canary${Math.random().toString(36).slice(2, 12)}`;
let fx: ApiFixture;
let gitQueue: Queue;

beforeAll(async () => {
  fx = await startApiFixture({ WORKSPACE_RPC_CLAIM_TIMEOUT_MS: '300' });
  gitQueue = new Queue(hostQueueName(QueueName.WorkspaceGit, null), { connection: { url: TEST_REDIS_URL }, prefix: fx.redisPrefix });
});
afterAll(async () => {
  await gitQueue?.obliterate({ force: true }).catch(() => {});
  await gitQueue?.close();
  await fx?.close();
});

async function workspaceIn(client: ApiClient, status: 'running' | 'stopped') {
  const id = (await client.post('/api/v1/workspaces', { name: `ws-${status}-${Math.random().toString(36).slice(2, 7)}` })).body.id as string;
  await fx.api.db.prisma.workspace.update({ where: { id }, data: { status } });
  return id;
}

describe('repositories API', () => {
  it('refuses bad input with invalid_input and a message per field', async () => {
    const { client } = await fx.signedIn();
    const ws = await workspaceIn(client, 'running');
    const cases: Array<[unknown, string]> = [
      [{ name: '../escape', url: 'https://git.example.com/a.git' }, 'name'],
      [{ name: 'Upper', url: 'https://git.example.com/a.git' }, 'name'],
      [{ name: 'app', url: 'ext::sh -c touch% /tmp/x' }, 'url'],
      [{ name: 'app', url: '--upload-pack=evil' }, 'url'],
      [{ name: 'app', url: `https://x:${CANARY}@git.example.com/a.git` }, 'url'],
      [{ name: 'app', url: 'git@github.com:org/a.git', auth: { kind: 'https_token', token: CANARY } }, 'url'],
      [{ name: 'app', url: 'https://git.example.com/a.git', auth: { kind: 'ssh_key' } }, 'url'],
      [{ name: 'app', url: 'https://git.example.com/a.git', auth: { kind: 'password' } }, 'auth'],
      [{ name: 'app', url: 'https://git.example.com/a.git', defaultBranch: '-x' }, 'defaultBranch'],
    ];
    for (const [body, field] of cases) {
      const response = await client.post(`/api/v1/workspaces/${ws}/repositories`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('invalid_input');
      expect(JSON.stringify(response.body.details), JSON.stringify(body)).toContain(field);
      expect(JSON.stringify(response.body)).not.toContain(CANARY);
    }
    expect((await client.get(`/api/v1/workspaces/${ws}/repositories`)).body.repositories).toEqual([]);
  });

  it('needs a running workspace, answers another team 404, and keeps the token sealed', async () => {
    const { client, team } = await fx.signedIn();
    const { client: other } = await fx.signedIn();
    const stopped = await workspaceIn(client, 'stopped');
    const refused = await client.post(`/api/v1/workspaces/${stopped}/repositories`, { name: 'app', url: 'https://git.example.com/a.git' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_workspace_state');
    expect(refused.body.message).toContain('start it');

    const ws = await workspaceIn(client, 'running');
    const created = await client.post(`/api/v1/workspaces/${ws}/repositories`, { name: 'app', url: 'https://git.example.com/a.git', auth: { kind: 'https_token', token: CANARY } });
    expect(created.status).toBe(202);
    expect(created.body.repository).toMatchObject({ name: 'app', authKind: 'https_token', status: 'cloning', path: '/workspace/repos/app', publicKey: null });
    const repoId = created.body.repository.id as string;
    expect(JSON.stringify(created.body)).not.toContain(CANARY);

    const again = await client.post(`/api/v1/workspaces/${ws}/repositories`, { name: 'app', url: 'https://git.example.com/b.git' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('repository_exists');

    // No worker runs: the clone request is withdrawn unclaimed and the repository says why.
    const failed = await waitFor(async () => {
      const list = (await client.get(`/api/v1/workspaces/${ws}/repositories`)).body.repositories as Array<{ status: string; error: string | null }>;
      return list[0]?.status === 'failed' ? list[0] : null;
    }, { timeoutMs: 10_000 });
    expect(failed.error).toContain('No worker answered');

    // The token is stored sealed: not in any column as text, not in the audit log.
    const row = await fx.api.db.prisma.repository.findUniqueOrThrow({ where: { id: repoId } });
    expect(JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))).not.toContain(CANARY);
    const audit = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: team.teamId } });
    expect(audit.map((entry) => entry.action)).toContain('repository.create');
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(CANARY);

    expect((await other.get(`/api/v1/workspaces/${ws}/repositories`)).status).toBe(404);
    expect((await other.delete(`/api/v1/workspaces/${ws}/repositories/${repoId}`)).status).toBe(404);
    // Running, the checkout is removed by the worker: without one the row stays and the API says so.
    const noWorker = await client.delete(`/api/v1/workspaces/${ws}/repositories/${repoId}`);
    expect([noWorker.status, noWorker.body.code]).toEqual([503, 'service_unavailable']);
    await fx.api.db.prisma.workspace.update({ where: { id: ws }, data: { status: 'stopped' } });
    const removed = await client.delete(`/api/v1/workspaces/${ws}/repositories/${repoId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect((await client.delete(`/api/v1/workspaces/${ws}/repositories/${repoId}`)).body.code).toBe('repository_not_found');
  });

  it('generates a deploy key for ssh, waits for it to be installed, and clones (again) with the same key', async () => {
    const { client, team } = await fx.signedIn();
    const { client: other } = await fx.signedIn();
    const ws = await workspaceIn(client, 'running');
    const created = await client.post(`/api/v1/workspaces/${ws}/repositories`, { name: 'svc', url: 'git@git.example.com:org/svc.git', auth: { kind: 'ssh_key' } });
    expect(created.status).toBe(202);
    expect(created.body.repository.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ garrison-/);
    expect(created.body.repository.status).toBe('awaiting_key');
    expect(JSON.stringify(created.body)).not.toContain('PRIVATE KEY');
    const repoId = created.body.repository.id as string;
    const publicKey = created.body.repository.publicKey as string;
    const list = async () => (await client.get(`/api/v1/workspaces/${ws}/repositories`)).body.repositories as Array<{ status: string; error: string | null; publicKey: string }>;
    const listed = await list();
    expect(listed[0]!.publicKey).toBe(publicKey);
    // No clone was asked for: nothing is queued for the worker, the repository keeps waiting.
    const jobs = await gitQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.filter((job) => (job?.data as { repositoryId?: string } | undefined)?.repositoryId === repoId)).toEqual([]);
    expect(listed[0]!.status).toBe('awaiting_key');

    const url = `/api/v1/workspaces/${ws}/repositories/${repoId}/clone`;
    expect((await other.post(url, {})).status).toBe(404);
    expect((await client.post(`/api/v1/workspaces/${ws}/repositories/nope/clone`, {})).body.code).toBe('repository_not_found');
    const stoppedWs = await workspaceIn(client, 'stopped');
    expect((await client.post(`/api/v1/workspaces/${stoppedWs}/repositories/${repoId}/clone`, {})).body.code).toBe('repository_not_found');

    const cloning = await client.post(url, {});
    expect(cloning.status, JSON.stringify(cloning.body)).toBe(202);
    expect(cloning.body.repository).toMatchObject({ id: repoId, status: 'cloning', publicKey, error: null });
    const twice = await client.post(url, {});
    expect([twice.status, twice.body.code]).toEqual([409, 'conflict']);
    // No worker runs here: the clone is withdrawn unclaimed and the repository fails with the reason.
    const failed = await waitFor(async () => ((await list())[0]?.status === 'failed' ? (await list())[0] : null), { timeoutMs: 10_000 });
    expect(failed.error).toContain('No worker answered');

    // Retrying keeps the same key; a stopped workspace is refused with what to do.
    await fx.api.db.prisma.workspace.update({ where: { id: ws }, data: { status: 'stopped' } });
    const whileStopped = await client.post(url, {});
    expect([whileStopped.status, whileStopped.body.code]).toEqual([409, 'invalid_workspace_state']);
    expect(whileStopped.body.message).toContain('start it');
    await fx.api.db.prisma.workspace.update({ where: { id: ws }, data: { status: 'running' } });
    const retried = await client.post(url, {});
    expect(retried.status).toBe(202);
    expect(retried.body.repository).toMatchObject({ status: 'cloning', publicKey, error: null });
    await waitFor(async () => (await list())[0]?.status === 'failed', { timeoutMs: 10_000 });

    await fx.api.db.prisma.repository.update({ where: { id: repoId }, data: { status: 'ready' } });
    const done = await client.post(url, {});
    expect([done.status, done.body.code]).toEqual([409, 'conflict']);
    expect(done.body.message).toContain('already cloned');

    const audits = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: team.teamId, action: 'repository.clone' }, orderBy: { id: 'asc' } });
    expect(audits.map((entry) => entry.outcome)).toEqual(['ok', 'failed', 'failed', 'ok', 'failed']);
    expect(JSON.stringify(audits, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('PRIVATE KEY');
  });
});

describe('missions in a repository', () => {
  it('checks the repository a mission names and records its base branch', async () => {
    const { client } = await fx.signedIn();
    const ws = await workspaceIn(client, 'running');
    const otherWs = await workspaceIn(client, 'running');
    const repoId = (await client.post(`/api/v1/workspaces/${ws}/repositories`, { name: 'app', url: 'https://git.example.com/a.git' })).body.repository.id as string;
    await fx.api.db.prisma.repository.update({ where: { id: repoId }, data: { status: 'cloning' } });

    const base = { workspaceId: ws, agent: 'shell', prompt: 'echo hi' };
    const notReady = await client.post('/api/v1/missions', { ...base, repositoryId: repoId });
    expect([notReady.status, notReady.body.code]).toEqual([409, 'repository_not_ready']);
    const unknown = await client.post('/api/v1/missions', { ...base, repositoryId: 'nope' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'repository_not_found']);
    const elsewhere = await client.post('/api/v1/missions', { ...base, workspaceId: otherWs, repositoryId: repoId });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'repository_not_found']);
    const orphanBranch = await client.post('/api/v1/missions', { ...base, baseBranch: 'main' });
    expect([orphanBranch.status, orphanBranch.body.code]).toEqual([400, 'invalid_input']);
    const badBranch = await client.post('/api/v1/missions', { ...base, repositoryId: repoId, baseBranch: 'a..b' });
    expect([badBranch.status, badBranch.body.code]).toEqual([400, 'invalid_input']);

    await fx.api.db.prisma.repository.update({ where: { id: repoId }, data: { status: 'ready', defaultBranch: 'trunk' } });
    const mission = await client.post('/api/v1/missions', { ...base, repositoryId: repoId });
    expect(mission.status).toBe(201);
    expect(mission.body).toMatchObject({ repositoryId: repoId, baseBranch: 'trunk', branch: null, reviewStatus: 'none', filesChanged: null });
    const chosen = await client.post('/api/v1/missions', { ...base, repositoryId: repoId, baseBranch: 'release/1.2' });
    expect(chosen.body.baseBranch, JSON.stringify(chosen.body)).toBe('release/1.2');

    // A mission still queued works in no branch yet: nothing to diff, merge or comment on.
    const diff = await client.get(`/api/v1/missions/${mission.body.id}/diff`);
    expect([diff.status, diff.body.code]).toEqual([409, 'not_in_review']);
    const merge = await client.post(`/api/v1/missions/${mission.body.id}/review/merge`, { mode: 'ff' });
    expect([merge.status, merge.body.code]).toEqual([409, 'not_in_review']);
    const review = await client.post(`/api/v1/missions/${mission.body.id}/messages`, { kind: 'review', comments: [{ path: 'a.txt', line: 1, body: 'why?' }] });
    expect([review.status, review.body.code]).toEqual([409, 'not_in_review']);

    // Removing a repository a mission still works in is refused.
    const busy = await client.delete(`/api/v1/workspaces/${ws}/repositories/${repoId}`);
    expect([busy.status, busy.body.code]).toEqual([409, 'conflict']);
  });

  it('validates review comments and outcome bodies', async () => {
    const { client } = await fx.signedIn();
    const ws = await workspaceIn(client, 'running');
    const mission = (await client.post('/api/v1/missions', { workspaceId: ws, agent: 'shell', prompt: 'echo hi' })).body.id as string;
    for (const body of [
      { kind: 'review', comments: [] },
      { kind: 'review', comments: [{ path: 'a.txt', line: 0, body: 'x' }] },
      { kind: 'review', comments: [{ path: 'a.txt', line: 1, side: 'middle', body: 'x' }] },
      { kind: 'review', comments: [{ path: 'a.txt', line: 1, body: '' }] },
    ]) {
      const response = await client.post(`/api/v1/missions/${mission}/messages`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('invalid_input');
    }
    expect((await client.post(`/api/v1/missions/${mission}/review/merge`, { mode: 'squash' })).body.code).toBe('invalid_input');
    expect((await client.post(`/api/v1/missions/${mission}/review/push`, { remote: '--force' })).body.code).toBe('invalid_input');
    expect((await client.get(`/api/v1/missions/${mission}/diff?limit=0`)).body.code).toBe('invalid_input');
    expect((await client.get(`/api/v1/missions/${mission}/diff?cursor=abc`)).body.code).toBe('invalid_input');
    // A non-repository mission keeps its files-touched list from tool calls.
    expect((await client.get(`/api/v1/missions/${mission}/files`)).body.source).toBe('tool_calls');
    const discard = await client.post(`/api/v1/missions/${mission}/review/discard`);
    expect([discard.status, discard.body.code]).toEqual([409, 'not_in_review']);
  });
});
