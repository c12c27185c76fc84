import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ApiClient, deleteTeam, seedTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('active team', () => {
  it('lists the caller teams and switches the session, which changes what GET /workspaces returns', async () => {
    const { client, team: first } = await fx.signedIn();
    const second = await seedTeam(fx.api.db);
    onTestFinished(() => deleteTeam(fx.api.db, second));
    await fx.api.db.prisma.membership.create({ data: { teamId: second.teamId, userId: first.userId, role: 'admin' } });
    const other = await signIn(fx.api.url, second);
    expect((await other.post('/api/v1/workspaces', { name: 'second-ws' })).status).toBe(201);
    expect((await client.post('/api/v1/workspaces', { name: 'first-ws' })).status).toBe(201);

    const teams = await client.get('/api/v1/teams');
    expect(teams.status).toBe(200);
    expect(teams.body.teams).toEqual([
      { id: first.teamId, name: expect.any(String), role: 'owner' },
      { id: second.teamId, name: expect.any(String), role: 'admin' },
    ]);
    const names = async () => ((await client.get('/api/v1/workspaces')).body.workspaces as { name: string }[]).map((ws) => ws.name);
    expect(await names()).toEqual(['first-ws']);

    const switched = await client.post('/api/v1/auth/team', { teamId: second.teamId });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ teamId: second.teamId, role: 'admin' });
    expect(await names()).toEqual(['second-ws']);
    const me = await client.get('/api/v1/auth/me');
    expect(me.body).toMatchObject({ teamId: second.teamId, role: 'admin', teams: expect.arrayContaining([expect.objectContaining({ id: first.teamId })]) });

    // Another browser session of the same user keeps its own team.
    const elsewhere = await signIn(fx.api.url, first);
    expect((await elsewhere.get('/api/v1/auth/me')).body.teamId).toBe(first.teamId);

    const audit = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: second.teamId, action: 'team.switch' } });
    expect(audit).toMatchObject([{ actorId: first.userId, outcome: 'ok', targetId: second.teamId }]);

    // Removed from the active team: the session falls back to the default team.
    await fx.api.db.prisma.membership.delete({ where: { teamId_userId: { teamId: second.teamId, userId: first.userId } } });
    expect((await client.get('/api/v1/auth/me')).body).toMatchObject({ teamId: first.teamId, role: 'owner' });
    expect(await names()).toEqual(['first-ws']);
  });

  it('answers 404 team_not_found for a team the user is not in, and 400 for a token caller', async () => {
    const { client, team } = await fx.signedIn();
    const { team: stranger } = await fx.signedIn();
    const refused = await client.post('/api/v1/auth/team', { teamId: stranger.teamId });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'team_not_found', message: expect.stringMatching(/invite/) });
    expect((await client.get('/api/v1/auth/me')).body.teamId).toBe(team.teamId);
    expect((await client.post('/api/v1/auth/team', {})).body.code).toBe('invalid_input');

    const token = (await client.post('/api/v1/tokens', { name: 'cli' })).body.token as string;
    const viaToken = await new ApiClient(fx.api.url, token).post('/api/v1/auth/team', { teamId: team.teamId });
    expect(viaToken.status).toBe(400);
    expect(viaToken.body.message).toMatch(/token belongs to one team/);
  });
});

describe('members', () => {
  it('lists members to anyone in the team and lets an admin change and remove members', async () => {
    const { client: owner, team } = await fx.signedIn();
    const admin = await seedMember(fx.api.db, team.teamId, 'admin');
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    const viewer = await seedMember(fx.api.db, team.teamId, 'viewer');
    onTestFinished(() => deleteUsers(fx.api.db, [admin.userId, member.userId, viewer.userId]));
    const asViewer = await signIn(fx.api.url, viewer);
    const memberSession = await signIn(fx.api.url, member);

    const list = await asViewer.get('/api/v1/members');
    expect(list.status).toBe(200);
    expect(list.body.members).toHaveLength(4);
    expect(list.body.members[0]).toEqual({ userId: team.userId, email: team.email, name: null, role: 'owner', joinedAt: expect.any(String) });

    const asAdmin = await signIn(fx.api.url, admin);
    const changed = await asAdmin.request('PATCH', `/api/v1/members/${member.userId}`, { role: 'viewer' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ userId: member.userId, role: 'viewer' });
    expect((await memberSession.get('/api/v1/auth/me')).body.role).toBe('viewer');

    const byViewer = await asViewer.request('PATCH', `/api/v1/members/${member.userId}`, { role: 'member' });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/owners and admins.*you are a viewer/) });
    expect((await asViewer.delete(`/api/v1/members/${member.userId}`)).status).toBe(403);

    const badRole = await asAdmin.request('PATCH', `/api/v1/members/${member.userId}`, { role: 'god' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.code).toBe('invalid_input');

    expect((await asAdmin.delete(`/api/v1/members/${member.userId}`)).status).toBe(204);
    // The removed member's session no longer resolves to the team (they have no other).
    expect((await memberSession.get('/api/v1/auth/me')).status).toBe(401);
    expect((await owner.get('/api/v1/members')).body.members.map((m: { userId: string }) => m.userId)).not.toContain(member.userId);

    const actions = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: team.teamId, action: { startsWith: 'member.' } }, orderBy: { id: 'asc' } });
    expect(actions.map((entry) => [entry.action, entry.actorId, entry.targetId])).toEqual([
      ['member.role_change', admin.userId, member.userId],
      ['member.remove', admin.userId, member.userId],
    ]);
  });

  it('keeps ownership with owners: admins cannot grant or remove it, nobody changes their own role', async () => {
    const { client: owner, team } = await fx.signedIn();
    const admin = await seedMember(fx.api.db, team.teamId, 'admin');
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [admin.userId, member.userId]));
    const asAdmin = await signIn(fx.api.url, admin);

    const grant = await asAdmin.request('PATCH', `/api/v1/members/${member.userId}`, { role: 'owner' });
    expect(grant.status).toBe(403);
    expect(grant.body.message).toMatch(/Only owners/);
    expect((await asAdmin.request('PATCH', `/api/v1/members/${team.userId}`, { role: 'member' })).status).toBe(403);
    expect((await asAdmin.delete(`/api/v1/members/${team.userId}`)).status).toBe(403);
    const self = await asAdmin.request('PATCH', `/api/v1/members/${admin.userId}`, { role: 'member' });
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/your own role/);

    // The last owner can be neither demoted nor removed.
    const stepDown = await owner.request('PATCH', `/api/v1/members/${team.userId}`, { role: 'admin' });
    expect(stepDown.status).toBe(409);
    expect(stepDown.body).toMatchObject({ code: 'last_owner', message: expect.stringMatching(/another member owner/) });
    expect((await owner.delete(`/api/v1/members/${team.userId}`)).body.code).toBe('last_owner');

    // With a second owner, the first may step down.
    expect((await owner.request('PATCH', `/api/v1/members/${admin.userId}`, { role: 'owner' })).status).toBe(200);
    const steppedDown = await owner.request('PATCH', `/api/v1/members/${team.userId}`, { role: 'admin' });
    expect(steppedDown.status).toBe(200);
    expect((await owner.get('/api/v1/auth/me')).body.role).toBe('admin');
    expect(await fx.api.db.prisma.membership.count({ where: { teamId: team.teamId, role: 'owner' } })).toBe(1);
  });

  it('lets two owners demote each other at once without leaving the team ownerless', async () => {
    const { client: first, team } = await fx.signedIn();
    const secondOwner = await seedMember(fx.api.db, team.teamId, 'owner');
    onTestFinished(() => deleteUsers(fx.api.db, [secondOwner.userId]));
    const second = await signIn(fx.api.url, secondOwner);
    const results = await Promise.all([
      first.request('PATCH', `/api/v1/members/${secondOwner.userId}`, { role: 'member' }),
      second.request('PATCH', `/api/v1/members/${team.userId}`, { role: 'member' }),
    ]);
    // One wins; the other finds itself the last owner (409) or already demoted (403).
    const statuses = results.map((result) => result.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    expect(await fx.api.db.prisma.membership.count({ where: { teamId: team.teamId, role: 'owner' } })).toBe(1);
  });

  it("answers 404 for another team's member", async () => {
    const { client } = await fx.signedIn();
    const { team: other } = await fx.signedIn();
    const patched = await client.request('PATCH', `/api/v1/members/${other.userId}`, { role: 'viewer' });
    expect(patched.status).toBe(404);
    expect(patched.body.code).toBe('member_not_found');
    expect((await client.delete(`/api/v1/members/${other.userId}`)).status).toBe(404);
    expect((await fx.api.db.prisma.membership.findFirstOrThrow({ where: { teamId: other.teamId } })).role).toBe('owner');
  });
});
