import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENTS, workerHeartbeatsKey, type WorkerHeartbeat } from '@garrison/core';
import { TEST_REDIS_URL } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
let redis: Redis;
beforeAll(async () => {
  fx = await startApiFixture();
  redis = new Redis(TEST_REDIS_URL);
});
afterEach(async () => {
  await redis.del(workerHeartbeatsKey(fx.redisPrefix));
});
afterAll(async () => {
  redis?.disconnect();
  await fx?.close();
});

/** What a worker writes every few seconds; `agentCommands` is its probe of the workspace image. */
async function reportWorker(hostId: string, agentCommands: string[] | null, at = new Date()): Promise<void> {
  const beat: WorkerHeartbeat = { hostId, docker: 'ok', dockerVersion: '20.10', agentCommands, at: at.toISOString() };
  await redis.hset(workerHeartbeatsKey(fx.redisPrefix), hostId, JSON.stringify(beat));
}

type AgentView = { kind: string; available: boolean; unavailableReasons: string[]; provider: string | null; models: string[]; defaultModel: string | null; label: string; resume: boolean };
const byKind = (agents: AgentView[]) => Object.fromEntries(agents.map((agent) => [agent.kind, agent]));

describe('GET /api/v1/agents', () => {
  it('lists every agent of the catalog, and says no worker reports the image when none runs', async () => {
    const { client } = await fx.signedIn();
    const response = await client.get('/api/v1/agents');
    expect(response.status).toBe(200);
    const agents = byKind(response.body.agents);
    expect(Object.keys(agents)).toEqual(Object.keys(AGENTS));
    expect(agents['claude-code']).toMatchObject({ label: 'Claude Code', provider: 'anthropic', resume: true, defaultModel: 'claude-sonnet-4-5', models: [...AGENTS['claude-code'].models], available: false });
    expect(agents['claude-code']!.unavailableReasons).toEqual([
      'No worker is running to report which agents the image has.',
      'The team has no Anthropic credential; an owner or admin can add one (PUT /api/v1/credentials/anthropic).',
    ]);
    // The shell needs neither a CLI nor a credential.
    expect(agents.shell).toMatchObject({ available: true, unavailableReasons: [], provider: null });
  });

  it('reads the commands workers found in the image, and the team credentials', async () => {
    const { client } = await fx.signedIn();
    await reportWorker('host-a', ['claude', 'codex']);
    // A stale beat (a worker gone for minutes) says nothing about the image any more.
    await reportWorker('host-old', ['opencode', 'pi'], new Date(Date.now() - 10 * 60_000));
    expect((await client.put('/api/v1/credentials/openai', { apiKey: 'sk-proj-0123456789' })).status).toBe(200);

    const agents = byKind((await client.get('/api/v1/agents')).body.agents);
    expect(agents.codex).toMatchObject({ available: true, unavailableReasons: [] });
    expect(agents['claude-code']!.unavailableReasons).toEqual([expect.stringMatching(/no Anthropic credential/)]);
    expect(agents.opencode!.available).toBe(false);
    expect(agents.opencode!.unavailableReasons).toEqual([expect.stringMatching(/workspace image has no `opencode` command/)]);
    expect(agents.pi!.unavailableReasons).toEqual([expect.stringMatching(/no `pi` command/)]);

    await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-0123456789' });
    expect(byKind((await client.get('/api/v1/agents')).body.agents)['claude-code']).toMatchObject({ available: true, unavailableReasons: [] });
  });

  it('says so while the worker has not probed the image yet', async () => {
    const { client } = await fx.signedIn();
    await reportWorker('host-b', null);
    const agents = byKind((await client.get('/api/v1/agents')).body.agents);
    expect(agents.codex!.unavailableReasons[0]).toMatch(/not yet checked which agents the workspace image has/);
  });
});
