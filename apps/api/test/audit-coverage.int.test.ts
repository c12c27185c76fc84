import { Worker } from 'bullmq';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { QueueName, hostQueueName, type MissionStatus, type TerminalOpenAck, type WorkspaceStatus } from '@garrison/core';
import { createQueuedMission, insertEventBatch } from '@garrison/db';
import { ApiClient, TEST_REDIS_URL, seedTeam, uploadFile, waitFor, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

/**
 * Every mutating action through the real API writes exactly one audit row with its actor, target,
 * outcome and request id. Actions a worker carries out are audited when the API accepts them, so
 * no worker runs here: a BullMQ worker of this test answers the two request/response calls
 * (terminal attach, file write) the way a real worker would. Then: the table is append-only at
 * the database, and deleting a team still works (its rows outlive it with teamId null).
 */
let fx: ApiFixture;
const HOST = `audit-host-${Math.random().toString(36).slice(2, 8)}`;
let rpcWorkers: Worker[] = [];

beforeAll(async () => {
  fx = await startApiFixture({ WORKSPACE_RPC_CLAIM_TIMEOUT_MS: '5000' });
  const connection = { url: TEST_REDIS_URL };
  rpcWorkers = [
    new Worker(hostQueueName(QueueName.TerminalSessions, HOST), async () => ({ ok: true }), { connection, prefix: fx.redisPrefix }),
    new Worker(
      hostQueueName(QueueName.WorkspaceFiles, HOST),
      async (job) => ({ ok: true, op: 'write', path: String(job.data.path).replace(/^\/workspace\//, ''), size: job.data.size }),
      { connection, prefix: fx.redisPrefix },
    ),
  ];
});

afterAll(async () => {
  await Promise.all(rpcWorkers.map((worker) => worker.close()));
  await fx?.close();
});

interface Row {
  action: string;
  outcome: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}

async function rowsOf(teamId: string | null, where: { action?: string; requestId?: string; after?: bigint } = {}): Promise<Row[]> {
  const { after, ...rest } = where;
  return (await fx.api.db.prisma.auditLog.findMany({ where: { teamId, ...rest, ...(after !== undefined ? { id: { gt: after } } : {}) }, orderBy: { id: 'asc' } })) as Row[];
}

/** Rows as text, for "the secret is not in there" checks (ids are BigInt). */
function textOf(rows: unknown): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

async function newestId(): Promise<bigint> {
  return (await fx.api.db.prisma.auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}

/** Sends a write, then expects exactly one new row in the team's log with these fields. */
async function expectAudited(
  send: () => Promise<{ status: number; body: any }>,
  expected: { status: number; teamId: string; action: string; actorId: string; outcome?: string; target?: [string, string | RegExp] },
) {
  const after = await newestId();
  const response = await send();
  expect(response.status, JSON.stringify(response.body)).toBe(expected.status);
  const rows = await rowsOf(expected.teamId, { after });
  expect(rows.map((row) => row.action), `rows for ${expected.action}`).toEqual([expected.action]);
  expect(rows[0]).toMatchObject({ actorId: expected.actorId, outcome: expected.outcome ?? 'ok', requestId: expect.stringMatching(/^[\w-]{8,64}$/) });
  if (expected.target) {
    expect(rows[0]!.targetType).toBe(expected.target[0]);
    if (typeof expected.target[1] === 'string') expect(rows[0]!.targetId).toBe(expected.target[1]);
    else expect(rows[0]!.targetId).toMatch(expected.target[1]);
  }
  return { response, row: rows[0]! };
}

function sender(client: ApiClient) {
  return {
    post: (path: string, body: unknown = {}) => () => client.post(path, body),
    patch: (path: string, body: unknown) => () => client.request('PATCH', path, body),
    put: (path: string, body: unknown) => () => client.put(path, body),
    delete: (path: string, body?: unknown) => () => client.request('DELETE', path, body),
  };
}

describe('audit coverage', () => {
  let owner: ApiClient;
  let team: TestTeam;
  let as: ReturnType<typeof sender>;

  beforeAll(async () => {
    ({ client: owner, team } = await fx.signedIn());
    as = sender(owner);
  });

  it('sign-in ok and denied, sign-out', async () => {
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [member.userId]));
    const after = await newestId();
    await expect(new ApiClient(fx.api.url).login(member.email, 'wrong-password-1')).rejects.toThrow(/login failed: 401/);
    expect(await fx.api.db.prisma.auditLog.findMany({ where: { actorId: member.userId, id: { gt: after } } })).toEqual([
      expect.objectContaining({ action: 'auth.login', outcome: 'denied', requestId: expect.any(String) }),
    ]);
    const client = await signIn(fx.api.url, member);
    const logins = await rowsOf(team.teamId, { action: 'auth.login' });
    expect(logins.filter((row) => row.actorId === member.userId && row.outcome === 'ok')).toHaveLength(1);
    const out = await expectAudited(sender(client).post('/api/v1/auth/logout'), { status: 204, teamId: team.teamId, action: 'auth.logout', actorId: member.userId, target: ['session', /.+/] });
    expect(textOf(out.row)).not.toContain(client.sessionCookie!.split('=')[1]!);
  });

  it('API token create and revoke, without the token in the row', async () => {
    const created = await expectAudited(as.post('/api/v1/tokens', { name: 'audit-ci' }), { status: 201, teamId: team.teamId, action: 'token.create', actorId: team.userId, target: ['api_token', /.+/] });
    expect(textOf(created.row)).not.toContain(created.response.body.token);
    await expectAudited(as.delete(`/api/v1/tokens/${created.response.body.id}`), {
      status: 204,
      teamId: team.teamId,
      action: 'token.revoke',
      actorId: team.userId,
      target: ['api_token', created.response.body.id],
    });
  });

  it('member role change and removal', async () => {
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [member.userId]));
    await expectAudited(as.patch(`/api/v1/members/${member.userId}`, { role: 'viewer' }), { status: 200, teamId: team.teamId, action: 'member.role_change', actorId: team.userId, target: ['user', member.userId] });
    await expectAudited(as.delete(`/api/v1/members/${member.userId}`), { status: 204, teamId: team.teamId, action: 'member.remove', actorId: team.userId, target: ['user', member.userId] });
  });

  it('invite create, revoke and accept, without the invite token in any row', async () => {
    const revocable = await expectAudited(as.post('/api/v1/invites', { role: 'member' }), { status: 201, teamId: team.teamId, action: 'invite.create', actorId: team.userId, target: ['invite', /.+/] });
    await expectAudited(as.delete(`/api/v1/invites/${revocable.response.body.invite.id}`), { status: 204, teamId: team.teamId, action: 'invite.revoke', actorId: team.userId, target: ['invite', revocable.response.body.invite.id] });
    const open = (await owner.post('/api/v1/invites', { role: 'member' })).body;
    const other = await fx.signedIn();
    await expectAudited(sender(other.client).post(`/api/v1/invites/${open.token}/accept`, {}), {
      status: 201,
      teamId: team.teamId,
      action: 'invite.accept',
      actorId: other.team.userId,
      target: ['invite', open.invite.id],
    });
    const all = textOf(await rowsOf(team.teamId));
    expect(all).not.toContain(open.token);
    expect(all).not.toContain(revocable.response.body.token);
  });

  it('team switch, ok and denied', async () => {
    const second = await seedTeam(fx.api.db);
    onTestFinished(() => fx.api.db.prisma.team.deleteMany({ where: { id: second.teamId } }).then(() => deleteUsers(fx.api.db, [second.userId])));
    const stranger = await seedTeam(fx.api.db);
    onTestFinished(() => fx.api.db.prisma.team.deleteMany({ where: { id: stranger.teamId } }).then(() => deleteUsers(fx.api.db, [stranger.userId])));
    const { client, team: mine } = await fx.signedIn();
    await fx.api.db.prisma.membership.create({ data: { teamId: second.teamId, userId: mine.userId, role: 'admin' } });
    await expectAudited(sender(client).post('/api/v1/auth/team', { teamId: stranger.teamId }), { status: 404, teamId: mine.teamId, action: 'team.switch', actorId: mine.userId, outcome: 'denied' });
    await expectAudited(sender(client).post('/api/v1/auth/team', { teamId: second.teamId }), { status: 200, teamId: second.teamId, action: 'team.switch', actorId: mine.userId, target: ['team', second.teamId] });
  });

  it('credential set, replace and remove, never with the key', async () => {
    const key = `sk-audit-${Math.random().toString(36).slice(2)}`;
    const set = await expectAudited(as.put('/api/v1/credentials/anthropic', { apiKey: key }), { status: 200, teamId: team.teamId, action: 'credential.put', actorId: team.userId, target: ['credential', 'anthropic'] });
    expect(set.row.metadata).toMatchObject({ replaced: false });
    const replaced = await expectAudited(as.put('/api/v1/credentials/anthropic', { apiKey: `${key}-2` }), { status: 200, teamId: team.teamId, action: 'credential.put', actorId: team.userId });
    expect(replaced.row.metadata).toMatchObject({ replaced: true });
    await expectAudited(as.delete('/api/v1/credentials/anthropic'), { status: 204, teamId: team.teamId, action: 'credential.delete', actorId: team.userId, target: ['credential', 'anthropic'] });
    const all = textOf(await rowsOf(team.teamId));
    expect(all).not.toContain(key);
    expect(all).not.toContain(key.slice(-4));
  });

  it('records the request id the API answered with', async () => {
    const requestId = `audit-rid-${Date.now()}`;
    const token = (await owner.post('/api/v1/tokens', { name: 'audit-request-id' })).body.token as string;
    const response = await fetch(`${fx.api.url}/api/v1/templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ name: `audit-rid-${Date.now()}` }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(await fx.api.db.prisma.auditLog.findMany({ where: { requestId: requestId } })).toEqual([
      expect.objectContaining({ teamId: team.teamId, action: 'template.create', actorId: team.userId, outcome: 'ok' }),
    ]);
  });

  it('template create', async () => {
    await expectAudited(as.post('/api/v1/templates', { name: `audit-tpl-${Date.now()}` }), { status: 201, teamId: team.teamId, action: 'template.create', actorId: team.userId, target: ['template', /.+/] });
  });

  it('workspace create and every lifecycle operation, audited when accepted', async () => {
    const created = await expectAudited(as.post('/api/v1/workspaces', { name: `audit-ws-${Date.now()}` }), { status: 201, teamId: team.teamId, action: 'workspace.create', actorId: team.userId, target: ['workspace', /.+/] });
    const id = created.response.body.id as string;
    const name = created.response.body.name as string;
    const steps: [from: string, operation: string][] = [['stopped', 'start'], ['running', 'stop'], ['running', 'pause'], ['paused', 'resume'], ['running', 'rebuild']];
    for (const [from, operation] of steps) {
      await fx.api.db.prisma.workspace.update({ where: { id }, data: { status: from as WorkspaceStatus } });
      await expectAudited(as.post(`/api/v1/workspaces/${id}/${operation}`), { status: 202, teamId: team.teamId, action: `workspace.${operation}`, actorId: team.userId, target: ['workspace', id] });
    }
    await fx.api.db.prisma.workspace.update({ where: { id }, data: { status: 'stopped' } });
    await expectAudited(as.delete(`/api/v1/workspaces/${id}`, { confirmName: name }), { status: 202, teamId: team.teamId, action: 'workspace.destroy', actorId: team.userId, target: ['workspace', id] });
  });

  describe('with a running workspace on a host', () => {
    let workspaceId: string;
    beforeAll(async () => {
      workspaceId = (await owner.post('/api/v1/workspaces', { name: `audit-run-${Date.now()}` })).body.id;
      await fx.api.db.prisma.workspace.update({
        where: { id: workspaceId },
        data: { status: 'running', workerHost: { connectOrCreate: { where: { id: HOST }, create: { id: HOST, hostname: HOST } } } },
      });
    });
    afterAll(async () => {
      await fx.api.db.prisma.workspace.deleteMany({ where: { id: workspaceId } });
      await fx.api.db.prisma.workerHost.deleteMany({ where: { id: HOST } });
    });

    it('file upload, ok and denied for a path outside the workspace', async () => {
      const ok = await uploadFile(fx.api.url, owner.sessionCookie!, workspaceId, 'notes/a.txt', 'hello');
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const uploads = await rowsOf(team.teamId, { action: 'file.upload' });
      expect(uploads.at(-1)).toMatchObject({ outcome: 'ok', actorId: team.userId, targetType: 'workspace', targetId: workspaceId, requestId: expect.any(String), metadata: { path: 'notes/a.txt', size: 5 } });
      const out = await uploadFile(fx.api.url, owner.sessionCookie!, workspaceId, '../../etc/passwd', 'x');
      expect(out.status).toBe(400);
      expect((await rowsOf(team.teamId, { action: 'file.upload' })).at(-1)).toMatchObject({ outcome: 'denied', targetId: workspaceId, metadata: { code: 'path_outside_workspace' } });
    });

    it('terminal input session open and close', async () => {
      const socket = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: owner.sessionCookie! } });
      onTestFinished(() => void socket.close());
      const ack: TerminalOpenAck = await socket.emitWithAck('terminal:open', { workspaceId, cols: 80, rows: 24 });
      expect(ack).toMatchObject({ ok: true });
      const sessionId = (ack as { sessionId: string }).sessionId;
      const [opened] = await rowsOf(team.teamId, { action: 'terminal.open' });
      expect(opened).toMatchObject({ outcome: 'ok', actorId: team.userId, targetType: 'workspace', targetId: workspaceId, requestId: expect.any(String), metadata: { sessionId } });
      socket.emit('terminal:close', { sessionId });
      const closed = await waitFor(async () => (await rowsOf(team.teamId, { action: 'terminal.close' }))[0], { timeoutMs: 5000, what: 'the terminal.close row' });
      expect(closed).toMatchObject({ outcome: 'ok', actorId: team.userId, targetId: workspaceId, requestId: opened!.requestId, metadata: { sessionId, how: 'closed' } });
    });

    async function missionIn(status: MissionStatus, agent: string, extra: { agentSessionId?: string; resumable?: boolean } = {}): Promise<string> {
      const { mission } = await createQueuedMission(fx.api.db, { teamId: team.teamId, workspaceId, authorId: null, agent, prompt: 'do it' });
      await fx.api.db.prisma.mission.update({ where: { id: mission.id }, data: { status, ...extra } });
      if (status !== 'queued') await fx.api.db.prisma.missionAttempt.create({ data: { missionId: mission.id, number: 1 } });
      return mission.id;
    }

    it('mission dispatch, cancel, answer, follow-up, approval decision, resume and retry', async () => {
      const dispatched = await expectAudited(as.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo audit' }), {
        status: 201,
        teamId: team.teamId,
        action: 'mission.dispatch',
        actorId: team.userId,
        target: ['mission', /.+/],
      });
      const missionId = dispatched.response.body.id as string;
      await expectAudited(as.post(`/api/v1/missions/${missionId}/cancel`), { status: 202, teamId: team.teamId, action: 'mission.cancel', actorId: team.userId, target: ['mission', missionId] });

      const waiting = await missionIn('waiting_input', 'claude-code');
      await insertEventBatch(fx.api.db, waiting, [{ seq: 2, ts: new Date().toISOString(), type: 'input.requested', payload: { inputId: 'q-1', question: 'Which?' } }]);
      const answer = await expectAudited(as.post(`/api/v1/missions/${waiting}/messages`, { text: 'the first' }), { status: 202, teamId: team.teamId, action: 'mission.message', actorId: team.userId, target: ['mission', waiting] });
      expect(answer.row.metadata).toMatchObject({ delivery: 'answer' });
      const running = await missionIn('running', 'claude-code');
      const followUp = await expectAudited(as.post(`/api/v1/missions/${running}/messages`, { text: 'and tests' }), { status: 202, teamId: team.teamId, action: 'mission.message', actorId: team.userId, target: ['mission', running] });
      expect(followUp.row.metadata).toMatchObject({ delivery: 'follow_up' });

      const approving = await missionIn('waiting_approval', 'claude-code');
      await insertEventBatch(fx.api.db, approving, [
        { seq: 2, ts: new Date().toISOString(), type: 'approval.requested', payload: { approvalId: 'ap-1', tool: 'Bash', input: { command: 'ls' }, summary: 'ls' } },
      ]);
      await expectAudited(as.post(`/api/v1/missions/${approving}/approvals/ap-1`, { decision: 'allow' }), { status: 202, teamId: team.teamId, action: 'mission.approval.allow', actorId: team.userId, target: ['mission', approving] });

      const interrupted = await missionIn('interrupted', 'codex', { agentSessionId: 'thread-1', resumable: true });
      await expectAudited(as.post(`/api/v1/missions/${interrupted}/resume`), { status: 202, teamId: team.teamId, action: 'mission.resume', actorId: team.userId, target: ['mission', interrupted] });
      const failed = await missionIn('failed', 'shell');
      const retried = await expectAudited(as.post(`/api/v1/missions/${failed}/retry`), { status: 201, teamId: team.teamId, action: 'mission.retry', actorId: team.userId, target: ['mission', failed] });
      expect(retried.row.metadata).toEqual({ retryId: retried.response.body.id });
    });
  });

  it('denied writes: a viewer (403), a read-only token (403) and another team’s ids (404), by route pattern', async () => {
    const viewer = await seedMember(fx.api.db, team.teamId, 'viewer');
    onTestFinished(() => deleteUsers(fx.api.db, [viewer.userId]));
    const viewerClient = await signIn(fx.api.url, viewer);
    await expectAudited(sender(viewerClient).post('/api/v1/workspaces', { name: 'nope' }), { status: 403, teamId: team.teamId, action: 'POST /workspaces', actorId: viewer.userId, outcome: 'denied' });

    const reader = (await owner.post('/api/v1/tokens', { name: 'audit-reader', scopes: ['read'] })).body;
    const denied = await expectAudited(sender(new ApiClient(fx.api.url, reader.token)).post('/api/v1/templates', { name: 'nope' }), {
      status: 403,
      teamId: team.teamId,
      action: 'POST /templates',
      actorId: team.userId,
      outcome: 'denied',
    });
    expect(denied.row.metadata).toMatchObject({ code: 'token_scope', status: 403 });

    const ours = (await owner.post('/api/v1/workspaces', { name: `audit-probe-${Date.now()}` })).body.id as string;
    const { client: stranger, team: strangerTeam } = await fx.signedIn();
    await expectAudited(sender(stranger).post(`/api/v1/workspaces/${ours}/start`), {
      status: 404,
      teamId: strangerTeam.teamId,
      action: 'POST /workspaces/:id/start',
      actorId: strangerTeam.userId,
      outcome: 'denied',
      target: ['workspace', ours],
    });
    // Nothing about the probe lands in the probed team's log.
    expect((await rowsOf(team.teamId)).filter((row) => row.actorId === strangerTeam.userId)).toEqual([]);
    // Reads are not audited, refused or not.
    const after = await newestId();
    expect((await stranger.get(`/api/v1/workspaces/${ours}`)).status).toBe(404);
    expect(await rowsOf(strangerTeam.teamId, { after })).toEqual([]);
  });

  it('filters the log by target and date range', async () => {
    const workspace = (await owner.post('/api/v1/workspaces', { name: `audit-filter-${Date.now()}` })).body.id as string;
    const byTarget = await owner.get(`/api/v1/audit?targetType=workspace&targetId=${workspace}`);
    expect(byTarget.status).toBe(200);
    expect(byTarget.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['workspace.create']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await owner.get(`/api/v1/audit?from=${encodeURIComponent(future)}`)).body.entries).toEqual([]);
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await owner.get(`/api/v1/audit?targetId=${workspace}&from=${encodeURIComponent(since)}&to=${encodeURIComponent(future)}`)).body.entries).toHaveLength(1);
    const backwards = await owner.get(`/api/v1/audit?from=${encodeURIComponent(future)}&to=${encodeURIComponent(since)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/to must be later than from/) });
    expect((await owner.get('/api/v1/audit?from=yesterday')).body.code).toBe('invalid_input');
  });
});

describe('append-only at the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit rows, even through raw SQL', async () => {
    const { team } = await fx.signedIn();
    const [row] = await rowsOf(team.teamId, { action: 'auth.login' });
    expect(row).toBeDefined();
    const prisma = fx.api.db.prisma;
    await expect(prisma.$executeRawUnsafe(`UPDATE "AuditLog" SET outcome = 'ok', action = 'x' WHERE "teamId" = $1`, team.teamId)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`UPDATE "AuditLog" SET "teamId" = NULL WHERE "teamId" = $1`, team.teamId)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "AuditLog" WHERE "teamId" = $1`, team.teamId)).rejects.toThrow(/append-only/);
    await expect(prisma.auditLog.deleteMany({ where: { teamId: team.teamId } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
    expect(await rowsOf(team.teamId, { action: 'auth.login' })).toEqual([row]);
  });

  it('still deletes a team: its rows stay, with teamId null and nothing else changed', async () => {
    const team = await seedTeam(fx.api.db);
    onTestFinished(() => deleteUsers(fx.api.db, [team.userId]));
    const client = new ApiClient(fx.api.url);
    await client.login(team.email, team.password);
    await client.post('/api/v1/workspaces', { name: 'doomed' });
    const before = await rowsOf(team.teamId);
    expect(before.map((row) => row.action)).toEqual(['auth.login', 'workspace.create']);
    await fx.api.db.prisma.team.delete({ where: { id: team.teamId } });
    expect(await fx.api.db.prisma.team.count({ where: { id: team.teamId } })).toBe(0);
    const after = await fx.api.db.prisma.auditLog.findMany({ where: { id: { in: before.map((row) => (row as unknown as { id: bigint }).id) } }, orderBy: { id: 'asc' } });
    expect(after.map((row) => ({ ...row, teamId: 'was' }))).toEqual(before.map((row) => ({ ...row, teamId: 'was' })));
    expect(after.every((row) => row.teamId === null)).toBe(true);
  });
});
