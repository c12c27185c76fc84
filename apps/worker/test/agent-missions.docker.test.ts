import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { MCP_TOOL_CALLS, dispatch, execInWorkspace, indexOf, timeToFirstMessage, timeline, waitForEnd } from './agent-mission-kit.ts';

/**
 * Each real agent CLI runs a mission through the API inside a model_only workspace: its model
 * calls go through the model gateway (the team's credential points the gateway at the scripted
 * model server), it calls a workspace MCP tool, and the tool's effect lands on the volume.
 */
const MODEL_AGENTS = ['claude-code', 'codex', 'opencode', 'pi'] as const;

let fixture: StackFixture | undefined;
let client: ApiClient;
let model: ScriptedModelServer | undefined;
let workspaceId: string;
const firstMessageMs: Record<string, number | null> = {};

beforeAll(async () => {
  model = await startScriptedModelServer();
  fixture = await openStackFixture();
  ({ client } = fixture);
  expect((await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-test-key-0001', baseUrl: model.url })).status).toBe(200);
  expect((await client.put('/api/v1/credentials/openai', { apiKey: 'sk-openai-test-key-0001', baseUrl: `${model.url}/v1` })).status).toBe(200);
  // The shared template every installation has for model agents.
  const templates = (await client.get('/api/v1/templates')).body.templates as { id: string; name: string; networkPolicy: string }[];
  const template = templates.find((candidate) => candidate.name === 'agents');
  expect(template?.networkPolicy).toBe('model_only');
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'agents', templateId: template!.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 90_000, what: 'agents workspace running' });
}, 180_000);

afterAll(async () => {
  // The closing note quotes these: time from POST to the first agent.message, per agent.
  console.log(`time to first agent.message (ms): ${JSON.stringify(firstMessageMs)}`);
  await fixture?.close();
  await model?.close();
});

describe.each(MODEL_AGENTS)('the %s agent through the API', (agent) => {
  it('calls a workspace MCP tool whose effect is on the volume, and events show call, result and answer in order', async () => {
    const tool = MCP_TOOL_CALLS[agent]('write_file');
    model!.script({ toolCalls: [{ ...tool, input: { path: `hello-${agent}.txt`, content: `written by ${agent}` } }] }, { text: `${agent} wrote the file` });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent, prompt: `Write hello-${agent}.txt` });
    const mission = await waitForEnd(client, id, postedAt);
    const events = mission.events;
    expect(mission.status, `${mission.statusReason} ${timeline(events).join(' ')}`).toBe('completed');

    const call = indexOf(events, (event) => event.type === 'tool.call' && String(event.payload.name).endsWith('write_file'));
    expect(call, timeline(events).join(' ')).toBeGreaterThanOrEqual(0);
    const callId = events[call]!.payload.callId;
    const result = indexOf(events, (event) => event.type === 'tool.result' && event.payload.callId === callId);
    expect(result).toBeGreaterThan(call);
    expect(events[result]!.payload.isError).toBe(false);
    const answer = indexOf(events, (event) => event.type === 'agent.message' && String(event.payload.text).includes(`${agent} wrote the file`));
    expect(answer).toBeGreaterThan(result);
    expect(await execInWorkspace(workspaceId, `cat /workspace/hello-${agent}.txt`)).toBe(`written by ${agent}`);
    expect(model!.remaining()).toBe(0);
    // The gateway metered both model turns, and its figures agree with what the CLI reported.
    const usage = (await client.get(`/api/v1/missions/${id}`)).body.usage as { modelCalls: number; inputTokens: number; outputTokens: number };
    expect(usage.modelCalls).toBe(2);
    const reported = events.filter((event) => event.type === 'usage').map((event) => event.payload as { inputTokens: number; outputTokens: number });
    expect(reported.length, timeline(events).join(' ')).toBeGreaterThan(0);
    expect(reported.reduce((sum, turn) => sum + turn.outputTokens, 0)).toBe(usage.outputTokens);
    expect(reported.reduce((sum, turn) => sum + turn.inputTokens, 0)).toBe(usage.inputTokens);
    const perTurn = (await client.get(`/api/v1/missions/${id}/usage`)).body as { total: { calls: number; outputTokens: number }; calls: { httpStatus: number }[] };
    expect(perTurn.total).toMatchObject({ calls: 2, outputTokens: usage.outputTokens });
    expect(perTurn.calls.map((call) => call.httpStatus)).toEqual([200, 200]);
    firstMessageMs[agent] = timeToFirstMessage(mission);
  }, 180_000);
});

describe('usage summed for the team', () => {
  it('adds every metered call up per workspace and team', async () => {
    const usage = (await client.get('/api/v1/usage')).body as { team: { calls: number; costUsd: number }; workspaces: { workspaceId: string; calls: number }[] };
    expect(usage.team.calls).toBe(2 * MODEL_AGENTS.length);
    expect(usage.team.costUsd).toBeGreaterThan(0);
    expect(usage.workspaces).toEqual([expect.objectContaining({ workspaceId, calls: 2 * MODEL_AGENTS.length })]);
    expect((await client.get('/api/v1/usage?since=yesterday')).body.code).toBe('invalid_input');
  });
});
