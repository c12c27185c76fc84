import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueGatewayToken, putCredential, usageForTeam } from '@garrison/db';
import { deleteTeam, seedTeam, waitFor, type TestTeam } from '@garrison/testkit';
import { baseUrlOf, callGateway, useGatewayFixtureWithKeys } from './gateway-fixture.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const turn = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'one turn' }] };

const fx = useGatewayFixtureWithKeys();

/** A second team with its own workspace and its own Anthropic key, on the same upstream. */
let teamB: TestTeam;
let workspaceB: string;
let keyB: string;
beforeAll(async () => {
  teamB = await seedTeam(fx.db);
  workspaceB = (await fx.db.prisma.workspace.create({ data: { teamId: teamB.teamId, name: `gw-b-${randomBytes(3).toString('hex')}`, status: 'running' } })).id;
  keyB = `sk-team-b-${randomBytes(12).toString('hex')}`;
  await putCredential(fx.db, fx.secrets, { teamId: teamB.teamId, provider: 'anthropic', apiKey: keyB, baseUrl: baseUrlOf(fx.upstream, 'anthropic') });
});
afterAll(async () => {
  if (teamB) await deleteTeam(fx.db, teamB);
});

async function missionOfB(limits: Record<string, number>) {
  const mission = await fx.db.prisma.mission.create({ data: { teamId: teamB.teamId, workspaceId: workspaceB, agent: 'claude-code', prompt: 'team b', status: 'running', limits } });
  return { id: mission.id, token: await issueGatewayToken(fx.db, mission.id) };
}

/** Model listings take no scripted turn, so they can poll until the (one-second) token cache lets go. */
async function refusedWithin(token: string, boundMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await callGateway(fx, '/anthropic/v1/models', { token })).status === 401, { timeoutMs: boundMs, intervalMs: 25, what: 'the token refused' });
  return Date.now() - started;
}

describe('gateway walls', () => {
  it('meters a token to its own mission only; a previous attempt and an ended mission are refused', async () => {
    const mine = await fx.mission();
    const sibling = await fx.mission();
    fx.upstream.script({ text: 'for my mission' });
    expect((await callGateway(fx, '/anthropic/v1/messages', { token: mine.token, body: turn })).status).toBe(200);
    const call = await waitFor(() => fx.db.prisma.modelCall.findFirst({ where: { missionId: mine.id } }), { timeoutMs: 5000, what: 'the call recorded' });
    expect(call).toMatchObject({ teamId: fx.team.teamId, workspaceId: fx.workspaceId });
    expect(await fx.db.prisma.modelCall.count({ where: { missionId: sibling.id } })).toBe(0);
    expect((await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: sibling.id } })).modelCalls).toBe(0);

    // A retry gets a new token: the old attempt's token stops working.
    const next = await issueGatewayToken(fx.db, mine.id);
    expect(await refusedWithin(mine.token, 1500)).toBeLessThan(1500);
    expect((await callGateway(fx, '/anthropic/v1/models', { token: next })).status).toBe(200);

    // Ended: the current token goes too.
    await fx.db.prisma.mission.update({ where: { id: mine.id }, data: { status: 'completed' } });
    expect(await refusedWithin(next, 1500)).toBeLessThan(1500);
  });

  it("never counts one team's calls against another team's budget, key or usage", async () => {
    const a = await fx.mission({ limits: { maxTurns: 2 } });
    const b = await missionOfB({ maxTurns: 2 });
    for (let index = 0; index < 2; index += 1) {
      fx.upstream.script({ text: `team a turn ${index}` });
      expect((await callGateway(fx, '/anthropic/v1/messages', { token: a.token, body: turn })).status).toBe(200);
    }
    await waitFor(async () => (await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: a.id } })).modelCalls === 2, { timeoutMs: 5000 });
    expect((await callGateway(fx, '/anthropic/v1/messages', { token: a.token, body: turn })).status).toBe(429);

    // Team A is out of turns; team B's mission still has both of its own.
    for (let index = 0; index < 2; index += 1) {
      fx.upstream.script({ text: `team b turn ${index} with a few more words` });
      expect((await callGateway(fx, '/anthropic/v1/messages', { token: b.token, body: turn })).status).toBe(200);
      // Sent upstream with team B's key, never team A's.
      expect(fx.upstream.requests.at(-1)!.credentialSha256).toBe(sha256(keyB));
    }
    await waitFor(async () => (await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: b.id } })).modelCalls === 2, { timeoutMs: 5000 });

    // Each team's usage is exactly the sum of the calls of its own missions: every call row
    // carries the team of the mission whose token made it.
    for (const teamId of [fx.team.teamId, teamB.teamId]) {
      const missionIds = (await fx.db.prisma.mission.findMany({ where: { teamId }, select: { id: true } })).map((mission) => mission.id);
      const own = await fx.db.prisma.modelCall.aggregate({ where: { missionId: { in: missionIds } }, _count: { _all: true }, _sum: { inputTokens: true, outputTokens: true, costUsd: true } });
      const usage = await usageForTeam(fx.db, teamId);
      expect(usage).toMatchObject({ calls: own._count._all, inputTokens: own._sum.inputTokens ?? 0, outputTokens: own._sum.outputTokens ?? 0 });
      expect(usage.costUsd).toBeCloseTo(Number(own._sum.costUsd ?? 0), 6);
    }
    expect(await usageForTeam(fx.db, teamB.teamId)).toMatchObject({ calls: 2 });
    expect(await fx.db.prisma.modelCall.count({ where: { teamId: teamB.teamId, missionId: { not: b.id } } })).toBe(0);
  });
});
