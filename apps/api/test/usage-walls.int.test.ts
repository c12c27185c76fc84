import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordModelCall } from '@garrison/db';
import type { ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await startApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

/** A team with one mission whose model calls are recorded as the gateway records them. */
async function teamWithCalls(calls: Array<{ inputTokens: number; outputTokens: number; costUsd: number }>): Promise<{ client: ApiClient; teamId: string }> {
  const { client, team } = await fx.signedIn();
  const workspace = (await client.post('/api/v1/workspaces', { name: 'metered' })).body;
  const mission = (await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo metered' })).body;
  for (const call of calls) {
    await recordModelCall(fx.api.db, {
      missionId: mission.id,
      teamId: team.teamId,
      workspaceId: workspace.id,
      provider: 'anthropic',
      api: 'messages',
      model: 'claude-sonnet-4-5',
      httpStatus: 200,
      cacheTokens: 0,
      durationMs: 10,
      countsAsTurn: true,
      ...call,
    });
  }
  return { client, teamId: team.teamId };
}

describe('usage walls', () => {
  it("reports each team's own model usage, never another team's", async () => {
    const a = await teamWithCalls([
      { inputTokens: 100, outputTokens: 10, costUsd: 0.5 },
      { inputTokens: 200, outputTokens: 20, costUsd: 0.25 },
    ]);
    const b = await teamWithCalls([{ inputTokens: 7, outputTokens: 3, costUsd: 0.01 }]);
    const usageA = (await a.client.get('/api/v1/usage')).body;
    const usageB = (await b.client.get('/api/v1/usage')).body;
    expect(usageA.team).toMatchObject({ calls: 2, inputTokens: 300, outputTokens: 30 });
    expect(usageA.team.costUsd).toBeCloseTo(0.75, 6);
    expect(usageB.team).toMatchObject({ calls: 1, inputTokens: 7, outputTokens: 3 });
    expect(usageB.team.costUsd).toBeCloseTo(0.01, 6);
    expect(usageA.workspaces).toHaveLength(1);
    expect(usageB.workspaces).toHaveLength(1);
  });
});
