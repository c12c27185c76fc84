import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMissionStatus } from '@garrison/db';
import { deleteTeam, seedTeam, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

let fx: ApiFixture;
const teams: TestTeam[] = [];
const users: string[] = [];

beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  for (const team of teams) await deleteTeam(fx.api.db, team);
  await deleteUsers(fx.api.db, users);
  await fx?.close();
});

async function teamWith(...roles: Array<'admin' | 'member' | 'viewer'>) {
  const team = await seedTeam(fx.api.db);
  teams.push(team);
  const owner = await signIn(fx.api.url, team);
  const members = [];
  for (const role of roles) {
    const member = await seedMember(fx.api.db, team.teamId, role);
    users.push(member.userId);
    members.push({ ...member, client: await signIn(fx.api.url, member) });
  }
  const name = (await fx.api.db.prisma.team.findUniqueOrThrow({ where: { id: team.teamId } })).name;
  return { team, owner, members, name };
}

async function auditRows(teamId: string | null, action: string, targetId: string) {
  return fx.api.db.prisma.auditLog.findMany({ where: { teamId, action, targetId }, orderBy: { createdAt: 'asc' } });
}

describe('POST /team/transfer', () => {
  it('makes a member the owner and the caller an admin, audited', async () => {
    const { team, owner, members } = await teamWith('member');
    const target = members[0]!;
    const response = await owner.post('/api/v1/team/transfer', { userId: target.userId });
    expect(response).toMatchObject({ status: 200, body: { ownerId: target.userId, role: 'admin' } });
    const roles = Object.fromEntries((await owner.get('/api/v1/members')).body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]));
    expect(roles).toEqual({ [team.userId]: 'admin', [target.userId]: 'owner' });
    expect(await auditRows(team.teamId, 'team.transfer', target.userId)).toMatchObject([{ actorId: team.userId, outcome: 'ok' }]);
    // The former owner may no longer delete or transfer; the new owner may.
    expect((await owner.post('/api/v1/team/transfer', { userId: target.userId })).status).toBe(403);
    expect((await target.client.post('/api/v1/team/transfer', { userId: team.userId })).status).toBe(200);
  });

  it('refuses non-owners, non-members and the caller itself', async () => {
    const { team, owner, members } = await teamWith('admin', 'member');
    const [admin, member] = members;
    expect(await admin!.client.post('/api/v1/team/transfer', { userId: member!.userId })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await owner.post('/api/v1/team/transfer', { userId: team.userId })).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    const stranger = await seedTeam(fx.api.db);
    teams.push(stranger);
    expect(await owner.post('/api/v1/team/transfer', { userId: stranger.userId })).toMatchObject({ status: 404, body: { code: 'member_not_found' } });
    expect(await owner.post('/api/v1/team/transfer', {})).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    const roles = (await owner.get('/api/v1/members')).body.members.map((m: { role: string }) => m.role).sort();
    expect(roles).toEqual(['admin', 'member', 'owner']);
  });
});

describe('DELETE /team', () => {
  it('needs the exact team name and the owner', async () => {
    const { owner, members, name } = await teamWith('admin');
    expect(await members[0]!.client.request('DELETE', '/api/v1/team', { confirm: name })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await owner.request('DELETE', '/api/v1/team', { confirm: `${name} ` })).toMatchObject({ status: 400, body: { code: 'confirmation_mismatch' } });
    expect(await owner.request('DELETE', '/api/v1/team')).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    expect((await owner.get('/api/v1/members')).status).toBe(200);
  });

  it('refuses with 409 while a mission is active, then deletes the team and its rows once it ended', async () => {
    const { team, owner, members, name } = await teamWith('member');
    const workspace = (await owner.post('/api/v1/workspaces', { name: 'doomed' })).body;
    const mission = (await owner.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo a' })).body;

    const busy = await owner.request('DELETE', '/api/v1/team', { confirm: name });
    expect(busy).toMatchObject({ status: 409, body: { code: 'team_busy', details: { activeMissions: 1 } } });
    expect(await auditRows(team.teamId, 'team.delete', team.teamId)).toMatchObject([{ outcome: 'denied' }]);

    await changeMissionStatus(fx.api.db, mission.id, 'canceled', 'canceled_by_user');
    const deleted = await owner.request('DELETE', '/api/v1/team', { confirm: name });
    expect(deleted).toMatchObject({ status: 200, body: { deleted: true, teamId: team.teamId, workspacesToRemove: 1 } });

    expect(await fx.api.db.prisma.team.findUnique({ where: { id: team.teamId } })).toBeNull();
    expect(await fx.api.db.prisma.workspace.count({ where: { id: workspace.id } })).toBe(0);
    expect(await fx.api.db.prisma.mission.count({ where: { id: mission.id } })).toBe(0);
    // The audit row outlives the team with teamId null and the team's id as its target.
    expect(await auditRows(null, 'team.delete', team.teamId)).toMatchObject([{ outcome: 'denied' }, { actorId: team.userId, outcome: 'ok' }]);
    // Its members belong to no team now: their sessions no longer act for it.
    expect((await members[0]!.client.get('/api/v1/workspaces')).status).toBe(401);
    expect((await owner.get('/api/v1/workspaces')).status).toBe(401);
  });
});
