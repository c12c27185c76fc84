import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('API tokens', () => {
  it('creates scoped, expiring tokens, lists them without secrets, and revokes them', async () => {
    const { client } = await fx.signedIn();
    const readOnly = await client.post('/api/v1/tokens', { name: 'dashboard-reader', scopes: ['read'], expiresInDays: 30 });
    expect(readOnly.status).toBe(201);
    expect(readOnly.body).toMatchObject({ name: 'dashboard-reader', scopes: ['read'], token: expect.stringMatching(/^gt_/), lastUsedAt: null, revokedAt: null });
    const days = (Date.parse(readOnly.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    const full = await client.post('/api/v1/tokens', { name: 'ci' });
    expect(full.body).toMatchObject({ scopes: ['read', 'write'], expiresAt: null });

    const reader = new ApiClient(fx.api.url, readOnly.body.token);
    expect((await reader.get('/api/v1/workspaces')).status).toBe(200);
    const write = await reader.post('/api/v1/workspaces', { name: 'nope' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ code: 'token_scope', message: expect.stringMatching(/read-only.*write/) });
    expect((await reader.delete(`/api/v1/tokens/${full.body.id}`)).body.code).toBe('token_scope');
    expect((await new ApiClient(fx.api.url, full.body.token).post('/api/v1/workspaces', { name: 'yes' })).status).toBe(201);

    const listed = await client.get('/api/v1/tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.map((token: { name: string }) => token.name)).toEqual(['ci', 'dashboard-reader']);
    expect(listed.body.tokens[1]).toEqual({
      id: readOnly.body.id,
      name: 'dashboard-reader',
      prefix: readOnly.body.token.slice(0, 8),
      scopes: ['read'],
      createdAt: expect.any(String),
      expiresAt: readOnly.body.expiresAt,
      lastUsedAt: expect.any(String),
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(readOnly.body.token);
    expect(JSON.stringify(listed.body)).not.toContain(full.body.token);

    expect((await client.delete(`/api/v1/tokens/${readOnly.body.id}`)).status).toBe(204);
    expect((await reader.get('/api/v1/workspaces')).status).toBe(401);
    expect((await client.get('/api/v1/tokens')).body.tokens[1].revokedAt).toEqual(expect.any(String));

    await fx.api.db.prisma.apiToken.update({ where: { id: full.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await new ApiClient(fx.api.url, full.body.token).get('/api/v1/workspaces')).status).toBe(401);
  });

  it('validates scopes and expiry, and answers 404 for another user’s token', async () => {
    const { client, team } = await fx.signedIn();
    expect((await client.post('/api/v1/tokens', { name: 'x', scopes: ['admin'] })).status).toBe(400);
    expect((await client.post('/api/v1/tokens', { name: 'x', scopes: [] })).body.message).toMatch(/at least one scope/);
    expect((await client.post('/api/v1/tokens', { name: 'x', expiresInDays: 366 })).body.message).toMatch(/expiresInDays must be at most 365/);

    const mine = (await client.post('/api/v1/tokens', { name: 'mine' })).body;
    const teammate = await seedMember(fx.api.db, team.teamId, 'admin');
    onTestFinished(() => deleteUsers(fx.api.db, [teammate.userId]));
    const other = await signIn(fx.api.url, teammate);
    const revoke = await other.delete(`/api/v1/tokens/${mine.id}`);
    expect(revoke.status).toBe(404);
    expect(revoke.body.code).toBe('token_not_found');
    expect((await other.get('/api/v1/tokens')).body.tokens).toEqual([]);
    expect((await new ApiClient(fx.api.url, mine.token).get('/api/v1/auth/me')).status).toBe(200);
  });
});

describe('audit log', () => {
  it('pages newest first with actor emails and filters, for admins only', async () => {
    const { client: owner, team } = await fx.signedIn();
    for (const name of ['a', 'b', 'c']) await owner.post('/api/v1/tokens', { name });
    await owner.post('/api/v1/invites', { role: 'member' });

    const first = await owner.get('/api/v1/audit?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0]).toMatchObject({ action: 'invite.create', actorEmail: team.email, actorId: team.userId, outcome: 'ok', id: expect.stringMatching(/^\d+$/) });
    expect(first.body.nextBefore).toBe(first.body.entries[1].id);
    expect(first.body.actions).toEqual(expect.arrayContaining(['auth.login', 'invite.create', 'token.create']));
    const older = await owner.get(`/api/v1/audit?limit=2&before=${first.body.nextBefore}`);
    expect(older.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['token.create', 'token.create']);
    const rest = await owner.get(`/api/v1/audit?limit=2&before=${older.body.nextBefore}`);
    expect(rest.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['auth.login']);
    expect(rest.body.nextBefore).toBeNull();

    const tokens = await owner.get(`/api/v1/audit?action=token.create&actorId=${team.userId}&outcome=ok`);
    expect(tokens.body.entries).toHaveLength(3);
    expect((await owner.get('/api/v1/audit?action=token.')).body.entries).toHaveLength(3);
    expect((await owner.get('/api/v1/audit?action=&actorId=&outcome=')).body.entries).toHaveLength(5);
    expect((await owner.get('/api/v1/audit?outcome=denied')).body.entries).toEqual([]);
    expect((await owner.get('/api/v1/audit?before=abc')).status).toBe(400);
    expect((await owner.get('/api/v1/audit?limit=1000')).body.message).toMatch(/limit must be at most 200/);

    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [member.userId]));
    const refused = await (await signIn(fx.api.url, member)).get('/api/v1/audit');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/Only owners and admins may read the audit log; you are a member/);

    // Another team sees none of it.
    const { client: stranger } = await fx.signedIn();
    const theirs = await stranger.get('/api/v1/audit');
    expect(theirs.body.entries.every((entry: { actorId: string }) => entry.actorId !== team.userId)).toBe(true);
  });
});

describe('role checks on team settings', () => {
  it('refuses templates and credentials writes below admin with a message naming the role', async () => {
    const { team } = await fx.signedIn();
    const viewer = await seedMember(fx.api.db, team.teamId, 'viewer');
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [viewer.userId, member.userId]));
    for (const who of [viewer, member]) {
      const client = await signIn(fx.api.url, who);
      const template = await client.post('/api/v1/templates', { name: 'nope', image: 'garrison/workspace:dev' });
      expect(template.status).toBe(403);
      expect(template.body).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only owners and admins may create workspace templates/) });
      expect((await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-0123456789' })).status).toBe(403);
      expect((await client.delete('/api/v1/credentials/anthropic')).status).toBe(403);
      expect((await client.get('/api/v1/templates')).status).toBe(200);
    }
  });

  it('lets viewers look at workspaces and missions but not change them; members can', async () => {
    const { team } = await fx.signedIn();
    const viewer = await seedMember(fx.api.db, team.teamId, 'viewer');
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [viewer.userId, member.userId]));
    const asViewer = await signIn(fx.api.url, viewer);
    const asMember = await signIn(fx.api.url, member);
    const workspace = await asMember.post('/api/v1/workspaces', { name: 'member-made' });
    expect(workspace.status).toBe(201);

    expect((await asViewer.get('/api/v1/workspaces')).body.workspaces).toHaveLength(1);
    const create = await asViewer.post('/api/v1/workspaces', { name: 'viewer-made' });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/change workspaces and missions; you are a viewer/) });
    expect((await asViewer.delete(`/api/v1/workspaces/${workspace.body.id}`)).status).toBe(403);
    expect((await asViewer.post('/api/v1/missions', { workspaceId: workspace.body.id, agent: 'shell', prompt: 'echo hi' })).status).toBe(403);
    expect((await asViewer.get('/api/v1/missions')).status).toBe(200);
    expect(await fx.api.db.prisma.workspace.count({ where: { teamId: team.teamId } })).toBe(1);
  });
});
