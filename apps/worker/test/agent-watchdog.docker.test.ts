import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { dispatch, timeline, waitForEnd } from './agent-mission-kit.ts';

/**
 * A headless agent that goes silent (here: Claude Code waiting on a model that never answers)
 * is reported, then stopped: the mission fails as agent_unresponsive instead of hanging.
 */
let fixture: StackFixture | undefined;
let client: ApiClient;
let model: ScriptedModelServer | undefined;
let workspaceId: string;

beforeAll(async () => {
  model = await startScriptedModelServer();
  fixture = await openStackFixture({ env: { AGENT_SILENCE_WARN_S: '3', AGENT_SILENCE_FAIL_S: '6' } });
  ({ client } = fixture);
  await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-watchdog-0001', baseUrl: model.url });
  const template = await client.post('/api/v1/templates', { name: 'watchdog-model-only', networkPolicy: 'model_only' });
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'watchdog', templateId: template.body.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 90_000, what: 'workspace running' });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
  await model?.close();
});

describe('the agent watchdog', () => {
  it('reports a silent agent and then ends its mission as agent_unresponsive', async () => {
    model!.script({ text: 'too late', delayMs: 120_000 });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Say something' });
    const mission = await waitForEnd(client, id, postedAt, 90_000);
    expect(mission.status, timeline(mission.events).join(' ')).toBe('failed');
    expect(mission.statusReason).toBe('agent_unresponsive');
    const warning = mission.events.find((event) => event.type === 'error' && event.payload.code === 'agent_silent');
    expect(warning).toBeDefined();
    const result = mission.events.find((event) => event.type === 'mission.result');
    expect(result?.payload).toMatchObject({ outcome: 'unresponsive' });
    expect(warning!.seq).toBeLessThan(result!.seq);
  }, 120_000);
});
