import { issueGatewayToken } from '@garrison/db';
import { startScriptedModelServer } from '@garrison/testkit';
import type { BenchContext } from '../lib/context.ts';
import { ratio, round, summarize } from '../lib/stats.ts';

const BODY = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'How far is the gateway?' }] });

async function timeCall(url: string, key: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: BODY });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`bench: a model call answered ${response.status}`);
  return elapsed;
}

/**
 * `gateway_added_ms`: one non-streaming Anthropic Messages call through the model gateway process
 * (token check, budget, the team's key from Postgres, forward, meter, record) against the same
 * call straight to the scripted model server: the floor. Calls alternate, so both see the same
 * machine load.
 */
export async function measureGatewayLatency(ctx: BenchContext, samples: number) {
  const upstream = await startScriptedModelServer();
  try {
    const put = await ctx.client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-bench-not-a-real-key', baseUrl: upstream.url });
    if (put.status !== 200) throw new Error(`bench: storing the credential answered ${put.status}`);
    const workspace = await ctx.db.prisma.workspace.create({ data: { teamId: ctx.teamId, name: `bench-gateway-${Date.now()}` } });
    const mission = await ctx.db.prisma.mission.create({ data: { teamId: ctx.teamId, workspaceId: workspace.id, agent: 'claude-code', prompt: 'bench', status: 'running' } });
    const token = await issueGatewayToken(ctx.db, mission.id);
    const viaGateway = `${ctx.fixture.stack.gatewayUrl}/anthropic/v1/messages`;
    const direct = `${upstream.url}/v1/messages`;
    const warmUp = 5;
    upstream.script(...Array.from({ length: 2 * (samples + warmUp) }, () => ({ text: 'Close enough.' })));
    const floor: number[] = [];
    const figure: number[] = [];
    for (let index = 0; index < samples + warmUp; index += 1) {
      const directMs = await timeCall(direct, 'sk-bench-not-a-real-key');
      const gatewayMs = await timeCall(viaGateway, token);
      if (index < warmUp) continue;
      floor.push(directMs);
      figure.push(gatewayMs);
    }
    const summary = summarize(figure);
    const floorSummary = summarize(floor);
    return { ...summary, floor: floorSummary, ratio_p50: ratio(summary.p50, floorSummary.p50), added_p50_ms: round(summary.p50 - floorSummary.p50) };
  } finally {
    await upstream.close();
  }
}
