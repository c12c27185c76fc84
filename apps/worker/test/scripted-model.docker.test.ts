import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceNetworkName } from '@garrison/core';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type RecordedModelRequest, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let client: ApiClient;
let model: ScriptedModelServer | undefined;
let workspaceId: string;
/** The workspace network's gateway: where an `open` workspace reaches a server listening on the host. */
let gateway: string;

async function runShellMission(prompt: string): Promise<{ status: string; lines: string[] }> {
  const id = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
  const status = await waitFor(async () => {
    const current = (await client.get(`/api/v1/missions/${id}`)).body.status as string;
    return ['completed', 'failed', 'canceled', 'interrupted'].includes(current) ? current : null;
  }, { timeoutMs: 90_000, what: 'agent CLI mission to end' });
  const events = (await client.get(`/api/v1/missions/${id}/events?limit=5000`)).body.events as { type: string; payload: { text: string } }[];
  return { status, lines: events.filter((e) => e.type === 'process.output').map((e) => e.payload.text) };
}

/** The JSON lines of an agent CLI's output; its other lines (warnings, `time`) are skipped. */
function jsonLines(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

function requestsSince(start: number, path: string): RecordedModelRequest[] {
  return model!.requests.slice(start).filter((request) => request.path === path);
}

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ client } = fixture);
  model = await startScriptedModelServer({ host: '0.0.0.0' });
  const template = await client.post('/api/v1/templates', { name: 'scripted-model-open', networkPolicy: 'open' });
  expect(template.status).toBe(201);
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'scripted-model', templateId: template.body.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 60_000, what: 'open workspace running' });
  const { stdout } = await execFileAsync('docker', ['network', 'inspect', workspaceNetworkName(workspaceId), '--format', '{{(index .IPAM.Config 0).Gateway}}']);
  gateway = stdout.trim();
});

afterAll(async () => {
  await model?.close();
  await fixture?.close();
});

describe('agent CLIs in a workspace against the scripted model server', () => {
  it('Claude Code -p answers with the scripted text, through POST /v1/messages', async () => {
    const start = model!.requests.length;
    // With CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 a one-turn `-p` run makes exactly one model call.
    model!.script({ text: 'hello from the scripted model' });
    const env = `ANTHROPIC_BASE_URL=http://${gateway}:${model!.port} ANTHROPIC_API_KEY=test-key CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1`;
    const { status, lines } = await runShellMission(`${env} claude -p "say hello" --output-format stream-json --verbose`);

    const result = jsonLines(lines).find((line) => line.type === 'result');
    expect(result, lines.join('\n')).toMatchObject({ subtype: 'success', result: 'hello from the scripted model' });
    expect(status).toBe('completed');
    const calls = requestsSince(start, '/v1/messages');
    expect(calls).toHaveLength(1);
    expect(model!.remaining()).toBe(0);
    // What Claude Code sends, so a gateway in front of a real provider knows what to pass through.
    const [call] = calls;
    expect(call).toMatchObject({ method: 'POST', query: '?beta=true', headers: { 'anthropic-version': '2023-06-01', 'x-app': 'cli' } });
    expect(call!.headers['anthropic-beta']).toContain('claude-code-20250219');
    expect(call!.headers['x-api-key']).toBeUndefined();
    const body = call!.body as { stream: boolean; messages: { role: string }[]; tools: unknown[] };
    expect(body.stream).toBe(true);
    expect(body.messages.map((message) => message.role)).toContain('system');
    expect(body.tools.length).toBeGreaterThan(0);
  });

  it('Codex exec --json answers with the scripted text, through POST /v1/responses', async () => {
    const start = model!.requests.length;
    model!.script({ text: 'hello from the scripted model to codex' });
    const config = [
      'model = "gpt-5-codex"',
      'model_provider = "scripted"',
      '[model_providers.scripted]',
      'name = "scripted"',
      `base_url = "http://${gateway}:${model!.port}/v1"`,
      'wire_api = "responses"',
      'env_key = "SCRIPTED_API_KEY"',
    ].join('\\n');
    // Codex reads extra prompt text from stdin (FACTS.md: close stdin). CODEX_HOME outside /tmp: codex refuses to create its helper binaries under a temporary dir.
    const prompt = `export CODEX_HOME=$HOME/.codex-scripted && mkdir -p $CODEX_HOME && printf '${config}\\n' > $CODEX_HOME/config.toml && SCRIPTED_API_KEY=test-key codex exec --json --skip-git-repo-check --ephemeral -c analytics.enabled=false -c features.plugins=false "say hello" < /dev/null`;
    const { status, lines } = await runShellMission(prompt);

    const events = jsonLines(lines);
    expect(events.find((event) => event.type === 'item.completed' && (event.item as { type: string }).type === 'agent_message'), lines.join('\n'))
      .toMatchObject({ item: { text: 'hello from the scripted model to codex' } });
    expect(events.some((event) => event.type === 'turn.completed')).toBe(true);
    expect(status).toBe('completed');
    const calls = requestsSince(start, '/v1/responses');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.accept).toBe('text/event-stream');
    const body = calls[0]!.body as { stream: boolean; model: string; input: { role?: string }[] };
    expect(body).toMatchObject({ stream: true, model: 'gpt-5-codex' });
    expect(body.input.map((item) => item.role)).toContain('developer');
  });
});
