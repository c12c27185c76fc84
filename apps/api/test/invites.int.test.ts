import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ApiClient } from '@garrison/testkit';
import { hashToken } from '../src/auth/secrets.ts';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

/** POSTs like a browser that keeps the cookie the API sets. */
async function acceptSignedOut(token: string, body: object): Promise<{ status: number; body: any; cookie: string | null }> {
  const response = await fetch(`${fx.api.url}/api/v1/invites/${token}/accept`, {
    method: 'POST',
    // The invite page is on the same origin; without it (or a CSRF token) acceptance is refused.
    headers: { 'content-type': 'application/json', origin: fx.api.url },
    body: JSON.stringify(body),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? null;
  return { status: response.status, body: await response.json(), cookie };
}

describe('invites', () => {
  it('creates a link shown once, and a signed-out visitor joins by creating an account', async () => {
    const { client: owner, team } = await fx.signedIn();
    const created = await owner.post('/api/v1/invites', { role: 'member' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ invite: { role: 'member', email: null, state: 'pending' }, token: expect.stringMatching(/^gi_/) });
    const { token } = created.body as { token: string };
    expect(created.body.url).toBe(`/invite/${token}`);
    const hours = (Date.parse(created.body.invite.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    const row = await fx.api.db.prisma.invite.findUniqueOrThrow({ where: { id: created.body.invite.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify((await owner.get('/api/v1/invites')).body)).not.toContain(token);

    const described = await new ApiClient(fx.api.url).get(`/api/v1/invites/${token}`);
    expect(described.status).toBe(200);
    expect(described.body).toEqual({ teamName: expect.stringMatching(/^team-/), role: 'member', email: null, expiresAt: row.expiresAt.toISOString(), state: 'pending' });

    const shortPassword = await acceptSignedOut(token, { email: 'short@test.garrison.dev', password: 'short' });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.message).toMatch(/password must be at least 10 characters/);
    expect((await acceptSignedOut(token, {})).body.message).toMatch(/sign in first/);

    const email = `joiner-${Date.now()}@test.garrison.dev`;
    const joined = await acceptSignedOut(token, { email, name: 'Joiner', password: 'a-long-password' });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ teamId: team.teamId, role: 'member', email, newUser: true });
    onTestFinished(() => deleteUsers(fx.api.db, [joined.body.userId]));
    expect(joined.cookie).toMatch(/^garrison_session=gs_/);
    const joiner = new ApiClient(fx.api.url);
    const me = await joiner.request('GET', '/api/v1/auth/me', undefined);
    expect(me.status).toBe(401);
    const withCookie = await fetch(`${fx.api.url}/api/v1/auth/me`, { headers: { cookie: joined.cookie! } });
    expect(await withCookie.json()).toMatchObject({ user: { email }, teamId: team.teamId, role: 'member' });
    // The new account can sign in with the password it chose.
    await joiner.login(email, 'a-long-password');

    const again = await acceptSignedOut(token, { email: 'another@test.garrison.dev', password: 'a-long-password' });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: 'invite_used', message: expect.stringMatching(/ask an admin/) });
    expect((await new ApiClient(fx.api.url).get(`/api/v1/invites/${token}`)).body.code).toBe('invite_used');
    expect((await owner.get('/api/v1/invites')).body.invites[0]).toMatchObject({ state: 'accepted' });

    const audit = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: team.teamId, action: { startsWith: 'invite.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['invite.create', 'ok'],
      ['invite.accept', 'ok'],
    ]);
    expect(JSON.stringify(audit, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(token);
  });

  it('lets a signed-in user join and switches their session to the team', async () => {
    const { client: owner, team } = await fx.signedIn();
    const { client: joiner, team: joinerTeam } = await fx.signedIn();
    const { token } = (await owner.post('/api/v1/invites', { role: 'viewer', email: joinerTeam.email.toUpperCase() })).body;
    expect((await new ApiClient(fx.api.url).get(`/api/v1/invites/${token}`)).body.email).toBe(joinerTeam.email);

    const joined = await joiner.post(`/api/v1/invites/${token}/accept`, {});
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ teamId: team.teamId, role: 'viewer', newUser: false });
    expect((await joiner.get('/api/v1/auth/me')).body).toMatchObject({ teamId: team.teamId, role: 'viewer' });
    expect((await joiner.get('/api/v1/teams')).body.teams).toHaveLength(2);

    const second = (await owner.post('/api/v1/invites', { role: 'member' })).body.token;
    const already = await joiner.post(`/api/v1/invites/${second}/accept`, {});
    expect(already.status).toBe(409);
    expect(already.body.code).toBe('already_member');
    // A refused join leaves the link usable.
    expect((await new ApiClient(fx.api.url).get(`/api/v1/invites/${second}`)).body.state).toBe('pending');
  });

  it('refuses a mismatched email, an email that has an account, and unknown links', async () => {
    const { client: owner } = await fx.signedIn();
    const { client: outsider, team: outsiderTeam } = await fx.signedIn();
    const { token } = (await owner.post('/api/v1/invites', { role: 'member', email: 'named@test.garrison.dev' })).body;
    const wrongUser = await outsider.post(`/api/v1/invites/${token}/accept`, {});
    expect(wrongUser.status).toBe(403);
    expect(wrongUser.body).toMatchObject({ code: 'invite_email_mismatch', message: expect.stringContaining('named@test.garrison.dev') });
    expect((await acceptSignedOut(token, { email: 'other@test.garrison.dev', password: 'a-long-password' })).body.code).toBe('invite_email_mismatch');

    const open = (await owner.post('/api/v1/invites', { role: 'member' })).body.token;
    const taken = await acceptSignedOut(open, { email: outsiderTeam.email, password: 'a-long-password' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'email_taken', message: expect.stringMatching(/sign in first, then open the invite link again/) });
    expect(taken.cookie).toBeNull();

    expect((await new ApiClient(fx.api.url).get('/api/v1/invites/gi_doesnotexistdoesnotexist')).status).toBe(404);
    expect((await new ApiClient(fx.api.url).get('/api/v1/invites/gi_doesnotexistdoesnotexist')).body.code).toBe('invite_not_found');
    expect((await acceptSignedOut('nonsense', { email: 'x@test.garrison.dev', password: 'a-long-password' })).status).toBe(404);
  });

  it('expires links and revokes them; validates the body; admin+ only; other teams get 404', async () => {
    const { client: owner, team } = await fx.signedIn();
    const expiring = (await owner.post('/api/v1/invites', { role: 'member', expiresInHours: 1 })).body;
    await fx.api.db.prisma.invite.update({ where: { id: expiring.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await new ApiClient(fx.api.url).get(`/api/v1/invites/${expiring.token}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'invite_expired', details: { teamName: expect.any(String), state: 'expired' } });
    expect((await acceptSignedOut(expiring.token, { email: 'late@test.garrison.dev', password: 'a-long-password' })).body.code).toBe('invite_expired');

    const revocable = (await owner.post('/api/v1/invites', { role: 'admin', expiresInHours: 720 })).body;
    expect((await owner.delete(`/api/v1/invites/${revocable.invite.id}`)).status).toBe(204);
    expect((await new ApiClient(fx.api.url).get(`/api/v1/invites/${revocable.token}`)).body.code).toBe('invite_revoked');
    const states = (await owner.get('/api/v1/invites')).body.invites.map((invite: { id: string; state: string }) => [invite.id, invite.state]);
    expect(states).toEqual([
      [revocable.invite.id, 'revoked'],
      [expiring.invite.id, 'expired'],
    ]);

    const tooLong = await owner.post('/api/v1/invites', { role: 'member', expiresInHours: 721 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/expiresInHours must be at most 720/);
    expect((await owner.post('/api/v1/invites', { role: 'emperor' })).status).toBe(400);
    expect((await owner.post('/api/v1/invites', { role: 'member', email: 'not-an-email' })).status).toBe(400);

    const admin = await seedMember(fx.api.db, team.teamId, 'admin');
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    onTestFinished(() => deleteUsers(fx.api.db, [admin.userId, member.userId]));
    const asAdmin = await signIn(fx.api.url, admin);
    expect((await asAdmin.post('/api/v1/invites', { role: 'member' })).status).toBe(201);
    const ownerInvite = await asAdmin.post('/api/v1/invites', { role: 'owner' });
    expect(ownerInvite.status).toBe(403);
    expect(ownerInvite.body.message).toMatch(/Only owners may invite a new owner/);
    const asMember = await signIn(fx.api.url, member);
    expect((await asMember.post('/api/v1/invites', { role: 'member' })).status).toBe(403);
    expect((await asMember.get('/api/v1/invites')).status).toBe(403);

    const { client: stranger } = await fx.signedIn();
    const foreign = await stranger.delete(`/api/v1/invites/${expiring.invite.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('invite_not_found');
  });
});
