import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, seedTeam, deleteTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

const KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz-Q7x9';

describe('provider credentials', () => {
  it('stores a key sealed, lists it by its last four characters only, and deletes it', async () => {
    const { client, team } = await fx.signedIn();
    const put = await client.put('/api/v1/credentials/anthropic', { apiKey: KEY, baseUrl: 'https://llm.example.com' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ provider: 'anthropic', baseUrl: 'https://llm.example.com', last4: 'Q7x9', updatedAt: expect.any(String) });

    const row = await fx.api.db.prisma.providerCredential.findUniqueOrThrow({ where: { teamId_provider: { teamId: team.teamId, provider: 'anthropic' } } });
    expect(Buffer.from(row.ciphertext).toString('utf8')).not.toContain('abcdefghijklmnop');
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain('abcdefghijklmnop');
    expect(JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(KEY);

    const list = await client.get('/api/v1/credentials');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ credentials: [{ provider: 'anthropic', baseUrl: 'https://llm.example.com', last4: 'Q7x9', updatedAt: expect.any(String) }] });
    expect(JSON.stringify(list.body)).not.toContain('abcdefgh');

    // A PUT replaces: no baseUrl now means the provider's own endpoint.
    const replaced = await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-second-key-WXYZ' });
    expect(replaced.body).toMatchObject({ baseUrl: null, last4: 'WXYZ' });
    expect(await fx.api.db.prisma.providerCredential.count({ where: { teamId: team.teamId } })).toBe(1);

    const audit = await fx.api.db.prisma.auditLog.findMany({ where: { teamId: team.teamId, action: { startsWith: 'credential.' } } });
    expect(audit.map((entry) => entry.action)).toEqual(['credential.put', 'credential.put']);
    expect(JSON.stringify(audit, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toMatch(/abcdefgh|Q7x9|WXYZ/);

    expect((await client.delete('/api/v1/credentials/anthropic')).status).toBe(204);
    expect((await client.get('/api/v1/credentials')).body).toEqual({ credentials: [] });
    const again = await client.delete('/api/v1/credentials/anthropic');
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('credential_not_found');
  });

  it('refuses an unknown provider and a bad body, changing nothing', async () => {
    const { client, team } = await fx.signedIn();
    const unknown = await client.put('/api/v1/credentials/mistral', { apiKey: KEY });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('anthropic, openai') });
    expect((await client.delete('/api/v1/credentials/mistral')).body.code).toBe('invalid_input');

    const short = await client.put('/api/v1/credentials/openai', { apiKey: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/apiKey must be at least 8 characters/);
    const badUrl = await client.put('/api/v1/credentials/openai', { apiKey: KEY, baseUrl: 'file:///etc/passwd' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toMatch(/baseUrl/);
    expect(await fx.api.db.prisma.providerCredential.count({ where: { teamId: team.teamId } })).toBe(0);
  });

  it('keeps teams apart and lets only owners and admins write', async () => {
    const { client: owner } = await fx.signedIn();
    await owner.put('/api/v1/credentials/openai', { apiKey: KEY });
    const { client: stranger } = await fx.signedIn();
    expect((await stranger.get('/api/v1/credentials')).body.credentials).toEqual([]);
    expect((await stranger.delete('/api/v1/credentials/openai')).status).toBe(404);
    expect((await owner.get('/api/v1/credentials')).body.credentials).toHaveLength(1);

    const memberTeam = await seedTeam(fx.api.db, 'member');
    try {
      const member = new ApiClient(fx.api.url);
      await member.login(memberTeam.email, memberTeam.password);
      const refused = await member.put('/api/v1/credentials/openai', { apiKey: KEY });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
      expect((await member.get('/api/v1/credentials')).status).toBe(200);
    } finally {
      await deleteTeam(fx.api.db, memberTeam);
    }
  });

  it('answers 401 without a session', async () => {
    expect((await new ApiClient(fx.api.url).get('/api/v1/credentials')).status).toBe(401);
  });
});
