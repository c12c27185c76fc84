import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, putCredential, revokeGatewayToken } from '@garrison/db';
import { freePort, startScriptedModelServer, type ScriptedModelServer } from '@garrison/testkit';
import { baseUrlOf, callGateway, startGatewayFixture, type GatewayFixture } from './gateway-fixture.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const anthropicBody = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] };
const responsesBody = { model: 'gpt-5-codex', input: 'hello' };

let fx: GatewayFixture;
let otherProvider: ScriptedModelServer;
beforeAll(async () => {
  // The env default points at a second server: a credential without baseUrl goes there.
  otherProvider = await startScriptedModelServer({ recordCredentialHashes: true });
  fx = await startGatewayFixture({ ANTHROPIC_UPSTREAM_URL: otherProvider.url, OPENAI_UPSTREAM_URL: baseUrlOf(otherProvider, 'openai') });
});
afterAll(async () => {
  await fx?.close();
  await otherProvider?.close();
});

describe('gateway token check', () => {
  it('refuses an unknown token with 401 in the Anthropic and in the OpenAI error shape', async () => {
    await fx.setCredential('anthropic');
    await fx.setCredential('openai');
    const before = fx.upstream.requests.length;

    const anthropic = await callGateway(fx, '/anthropic/v1/messages', { token: 'gwt_not-a-real-token', body: anthropicBody });
    expect(anthropic.status).toBe(401);
    expect(anthropic.headers.get('x-should-retry')).toBe('false');
    const anthropicError = await anthropic.json();
    expect(anthropicError).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringMatching(/does not know this token/) } });

    const openai = await callGateway(fx, '/openai/v1/responses', { token: 'gwt_not-a-real-token', body: responsesBody });
    expect(openai.status).toBe(401);
    const openaiError = await openai.json();
    expect(openaiError).toEqual({ error: { message: expect.stringMatching(/does not know this token/), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });

    const missing = await callGateway(fx, '/openai/v1/chat/completions', { body: { model: 'gpt-5', messages: [] } });
    expect(missing.status).toBe(401);
    expect(fx.upstream.requests.length).toBe(before);
  });

  it('refuses the token of an ended mission, and a revoked one', async () => {
    const ended = await fx.mission({ status: 'completed' });
    const response = await callGateway(fx, '/anthropic/v1/messages', { token: ended.token, body: anthropicBody });
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toMatch(new RegExp(`Mission ${ended.id} has ended \\(completed\\)`));

    const live = await fx.mission();
    fx.upstream.script({ text: 'still here' });
    expect((await callGateway(fx, '/anthropic/v1/messages', { token: live.token, body: anthropicBody })).status).toBe(200);
    await revokeGatewayToken(fx.db, live.id);
    await fx.db.prisma.mission.update({ where: { id: live.id }, data: { status: 'canceled' } });
    // Lookups are cached for at most a second: the refusal must come within that bound. Model
    // listings consume no scripted turn, so they can poll.
    const started = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - started < 3000) status = (await callGateway(fx, '/anthropic/v1/models', { token: live.token })).status;
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 409 in the provider shape when the team has no credential for the provider', async () => {
    await fx.db.prisma.providerCredential.deleteMany({ where: { teamId: fx.team.teamId } });
    const mission = await fx.mission();
    const anthropic = await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: anthropicBody });
    expect(anthropic.status).toBe(409);
    expect((await anthropic.json()).error).toEqual({ type: 'provider_not_configured', message: expect.stringMatching(/no Anthropic credential/) });
    const openai = await callGateway(fx, '/openai/v1/responses', { token: mission.token, body: responsesBody });
    expect(openai.status).toBe(409);
    expect((await openai.json()).error).toMatchObject({ code: 'provider_not_configured', message: expect.stringMatching(/no OpenAI credential/) });

    // Sealed with a key this gateway does not have (api and gateway run with different keys).
    await putCredential(fx.db, createSecretBox({ key: randomBytes(32).toString('base64') }), { teamId: fx.team.teamId, provider: 'anthropic', apiKey: 'sk-ant-other-key-0000' });
    const sealedElsewhere = await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: anthropicBody });
    expect(sealedElsewhere.status).toBe(409);
    expect((await sealedElsewhere.json()).error.message).toMatch(/cannot be opened by the model gateway/);
  });
});

describe('gateway forwarding', () => {
  it('sends the team key upstream and never the mission token, keeping beta headers and the query', async () => {
    const teamKey = await fx.setCredential('anthropic');
    const mission = await fx.mission();
    fx.upstream.script({ text: 'hi' });
    const response = await callGateway(fx, '/anthropic/v1/messages?beta=true', {
      token: mission.token,
      body: anthropicBody,
      headers: { 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14', 'anthropic-version': '2023-06-01', authorization: `Bearer ${mission.token}` },
    });
    expect(response.status).toBe(200);
    const seen = fx.upstream.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.query).toBe('?beta=true');
    expect(seen.credentialSha256).toBe(sha256(teamKey));
    expect(seen.headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.stringify(seen)).not.toContain(mission.token);
    expect(JSON.stringify(seen)).not.toContain(teamKey);

    const openaiKey = await fx.setCredential('openai');
    fx.upstream.script({ text: 'hi' });
    expect((await callGateway(fx, '/openai/v1/responses', { token: mission.token, body: responsesBody })).status).toBe(200);
    const openaiSeen = fx.upstream.requests.at(-1)!;
    expect(openaiSeen.path).toBe('/v1/responses');
    expect(openaiSeen.credentialSha256).toBe(sha256(openaiKey));
    expect(JSON.stringify(openaiSeen)).not.toContain(mission.token);
  });

  it('passes the request body through byte for byte', async () => {
    await fx.setCredential('anthropic');
    const mission = await fx.mission();
    fx.upstream.script({ text: 'ok' });
    // Claude Code's shape: role "system" inside messages, fields the gateway has never heard of,
    // odd spacing and non-ASCII text; none of it may be normalised on the way.
    const raw = `{"model":"claude-sonnet-4-5",  "max_tokens":64,"messages":[{"role":"system","content":"you are terse"},{"role":"user","content":"h\u00e9llo \\u00e9 \u{1F600}"}],"x_unknown_field":{"nested":[1,2.50,true,null]},"metadata":{"user_id":"u"}}`;
    const response = await callGateway(fx, '/anthropic/v1/messages?beta=true', { token: mission.token, rawBody: raw });
    expect(response.status).toBe(200);
    expect(fx.upstream.requests.at(-1)!.rawBody).toBe(raw);
  });

  it('routes to the credential base URL when it has one, else to the configured upstream', async () => {
    const mission = await fx.mission();
    await fx.setCredential('openai', { baseUrl: null });
    const before = { own: fx.upstream.requests.length, other: otherProvider.requests.length };
    otherProvider.script({ text: 'from the default upstream' });
    const viaDefault = await callGateway(fx, '/openai/v1/chat/completions', { token: mission.token, body: { model: 'gpt-5', messages: [{ role: 'user', content: 'x' }] } });
    expect(viaDefault.status).toBe(200);
    expect((await viaDefault.json()).choices[0].message.content).toBe('from the default upstream');
    expect(otherProvider.requests.length).toBe(before.other + 1);
    expect(otherProvider.requests.at(-1)!.path).toBe('/v1/chat/completions');

    await fx.setCredential('openai');
    fx.upstream.script({ text: 'from the credential base' });
    const viaCredential = await callGateway(fx, '/openai/v1/chat/completions', { token: mission.token, body: { model: 'gpt-5', messages: [{ role: 'user', content: 'x' }] } });
    expect((await viaCredential.json()).choices[0].message.content).toBe('from the credential base');
    expect(fx.upstream.requests.length).toBe(before.own + 1);
  });

  it('lists models through the gateway and answers 502 in the provider shape when the upstream is down', async () => {
    const mission = await fx.mission();
    await fx.setCredential('anthropic');
    const models = await callGateway(fx, '/anthropic/v1/models', { token: mission.token });
    expect(models.status).toBe(200);
    expect((await models.json()).data.map((model: { id: string }) => model.id)).toContain('claude-sonnet-4-5');

    await fx.setCredential('anthropic', { baseUrl: `http://127.0.0.1:${await freePort()}` });
    const other = await fx.mission();
    const down = await callGateway(fx, '/anthropic/v1/messages', { token: other.token, body: anthropicBody });
    expect(down.status).toBe(502);
    expect((await down.json()).error).toEqual({ type: 'api_error', message: expect.stringMatching(/could not reach http:\/\/127\.0\.0\.1:\d+/) });
  });

  it('answers an unknown route with 404 in the provider shape', async () => {
    const response = await callGateway(fx, '/anthropic/v1/complete', { token: 'x', body: {} });
    expect(response.status).toBe(404);
    expect((await response.json()).type).toBe('error');
  });
});
