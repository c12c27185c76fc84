import { describe, expect, it } from 'vitest';
import { waitFor } from '@garrison/testkit';
import { callGateway, useGatewayFixtureWithKeys } from './gateway-fixture.ts';

const fx = useGatewayFixtureWithKeys();

const messages = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'one more turn' }] };
const BUDGET_STOP = (missionId: string) => ({ missionId, action: 'cancel', actor: 'gateway', reason: 'budget_exceeded' });

describe('gateway budget', () => {
  it('refuses the call after maxTurns with budget_exceeded and asks the worker to stop the mission, once', async () => {
    const mission = await fx.mission({ limits: { maxTurns: 1 } });
    fx.upstream.script({ text: 'the only turn' });
    expect((await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: messages })).status).toBe(200);
    // Reaching the limit exactly does not stop the mission: the agent may be done.
    await waitFor(async () => (await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } })).modelCalls === 1, { timeoutMs: 5000 });
    expect(await fx.controlQueue.getJob(`budget-${mission.id}`)).toBeUndefined();
    const upstreamCalls = fx.upstream.requests.length;

    const refused = await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: messages });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(await refused.json()).toEqual({ type: 'error', error: { type: 'budget_exceeded', message: expect.stringMatching(/used its 1 model turn/) } });
    const job = await fx.controlQueue.getJob(`budget-${mission.id}`);
    expect(job?.data).toEqual(BUDGET_STOP(mission.id));

    const again = await callGateway(fx, '/openai/v1/responses', { token: mission.token, body: { model: 'gpt-5', input: 'x' } });
    expect(again.status).toBe(429);
    expect((await again.json()).error).toMatchObject({ type: 'budget_exceeded', code: 'budget_exceeded' });
    expect(fx.upstream.requests.length).toBe(upstreamCalls);
    const stops = (await fx.controlQueue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((queued) => queued.data.missionId === mission.id);
    expect(stops).toHaveLength(1);
  });

  it('stops a mission at once when a call takes it past maxCostUsd, and refuses the next call', async () => {
    const mission = await fx.mission({ limits: { maxCostUsd: 0.0001 } });
    fx.upstream.script({ text: 'an answer long enough to cost more than a hundredth of a cent '.repeat(20) });
    expect((await callGateway(fx, '/openai/v1/chat/completions', { token: mission.token, body: { model: 'gpt-5', messages: [{ role: 'user', content: 'spend' }] } })).status).toBe(200);
    // No second call: the stop follows the call that crossed the limit.
    const job = await waitFor(() => fx.controlQueue.getJob(`budget-${mission.id}`), { timeoutMs: 5000, what: 'the budget stop' });
    expect(job.data).toEqual(BUDGET_STOP(mission.id));
    const counters = await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } });
    expect(Number(counters.costUsd)).toBeGreaterThan(0.0001);

    const refused = await callGateway(fx, '/openai/v1/chat/completions', { token: mission.token, body: { model: 'gpt-5', messages: [] } });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toMatch(/spent \$0\.\d+ of its \$0\.0001/);
  });

  it('leaves missions without limits alone', async () => {
    const mission = await fx.mission();
    for (let turn = 0; turn < 3; turn += 1) {
      fx.upstream.script({ text: `turn ${turn}` });
      expect((await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: messages })).status).toBe(200);
    }
    await waitFor(async () => (await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } })).modelCalls === 3, { timeoutMs: 5000 });
    expect(await fx.controlQueue.getJob(`budget-${mission.id}`)).toBeUndefined();
  });
});
