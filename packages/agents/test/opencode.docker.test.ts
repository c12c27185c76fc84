import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHDOG, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import { startScriptedModelServer, type ScriptedModelServer } from '@garrison/testkit';
import { findAgentAdapter } from '../src/index.ts';
import { answerApproval, bridgeGateway, createVolume, eventTrail, explain, inVolume, launchBase, removeVolume, runTurnInContainer, waitForApproval, type TurnRun } from './container-launch.ts';

const adapter = findAgentAdapter('opencode')!;
let model: ScriptedModelServer;
let volume: string;
let gateway: string;

beforeAll(async () => {
  model = await startScriptedModelServer({ host: '0.0.0.0' });
  volume = await createVolume();
  gateway = await bridgeGateway();
});

afterAll(async () => {
  await model?.close();
  if (volume) await removeVolume(volume);
});

function missionSpec(policy: RunnerPolicy): RunnerSpec {
  return {
    missionId: `hadapters${randomBytes(6).toString('hex')}`,
    agent: 'opencode',
    prompt: 'unused: turns carry the prompt',
    startSeq: 1,
    attempt: 1,
    policy,
    watchdog: DEFAULT_WATCHDOG,
    gateway: { anthropicBaseUrl: `http://${gateway}:${model.port}`, openaiBaseUrl: `http://${gateway}:${model.port}/v1`, token: 'test-mission-token' },
  };
}

/** `GARRISON_RECORD_FIXTURES=1` refreshes the parser's fixtures from these real runs. */
function record(name: string, turn: TurnRun): void {
  if (!process.env.GARRISON_RECORD_FIXTURES) return;
  const dir = join(import.meta.dirname, 'fixtures', 'opencode');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${turn.lines.join('\n')}\n`);
}

interface ChatBody {
  messages: { role: string; content: unknown }[];
  tools?: { function: { name: string } }[];
}

/** The Chat Completions request bodies sent since `from`. */
function bodiesSince(from: number): ChatBody[] {
  return model.requests.slice(from).filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as ChatBody);
}

describe('OpenCode adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    // Words OpenCode's argv would mangle (a leading dash, quotes, a number, an @): the prompt goes on stdin.
    const prompt = '-x Write "opencode-hello.txt" 0123 @now\n  thanks';
    model.script(
      { thinking: 'The MCP tool writes files.', toolCalls: [{ name: 'garrison_write_file', input: { path: 'opencode-hello.txt', content: 'hi from opencode\n' } }] },
      { text: 'I wrote opencode-hello.txt.' },
    );
    const before = model.requests.length;
    const first = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt }, base), volume);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`opencode: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(volume, 'cat /workspace/opencode-hello.txt')).toBe('hi from opencode\n');
    const [request] = bodiesSince(before);
    expect(request!.messages.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([prompt]);
    expect(request!.tools!.map((tool) => tool.function.name)).toEqual(expect.arrayContaining(['garrison_write_file', 'bash']));
    // One request per scripted turn: our --title spares OpenCode's own title call.
    expect(bodiesSince(before)).toHaveLength(2);

    const trail = eventTrail(first.events);
    const call = trail.indexOf('tool.call:mcp__garrison__write_file');
    expect(call, trail.join(' ')).toBeGreaterThan(trail.indexOf('agent.thinking'));
    expect(trail.indexOf('tool.result')).toBeGreaterThan(call);
    expect(trail.lastIndexOf('agent.message')).toBeGreaterThan(trail.indexOf('tool.result'));
    const callEvent = first.events.find((event) => event.type === 'tool.call')!;
    expect(callEvent.payload.input).toEqual({ path: 'opencode-hello.txt', content: 'hi from opencode\n' });
    expect(first.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ callId: callEvent.payload.callId, isError: false, output: expect.stringContaining('wrote') });
    expect(first.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['I wrote opencode-hello.txt.']);
    expect(first.events.filter((event) => event.type === 'usage')).toHaveLength(2);
    expect(first.sessionId).toMatch(/^ses_/);
    expect(first.lines.join('\n')).not.toContain('test-mission-token');

    const resumedAt = model.requests.length;
    model.script({ text: 'Still here, and I remember the file.' });
    const second = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 2, prompt: 'Anything else?', resumeSessionId: first.sessionId }, base), volume);
    record('resume-turn.jsonl', second);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Still here, and I remember the file.']);
    const resumed = JSON.stringify(bodiesSince(resumedAt)[0]!.messages);
    expect(resumed).toContain('opencode-hello.txt');
    expect(resumed).toContain('I wrote opencode-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: OpenCode offers none of its own changing tools and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(volume, 'echo "readable" > /workspace/opencode-ro-source.txt');
    model.script(
      { toolCalls: [{ name: 'bash', input: { command: 'echo nope > /workspace/opencode-ro-shell.txt', description: 'write' } }] },
      { toolCalls: [{ name: 'garrison_write_file', input: { path: 'opencode-ro-mcp.txt', content: 'nope\n' } }] },
      { toolCalls: [{ name: 'garrison_read_file', input: { path: 'opencode-ro-source.txt' } }] },
      { text: 'Looked only.' },
    );
    const before = model.requests.length;
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Look around' }, launchBase(spec.missionId, spec.policy)), volume);
    record('read-only-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = bodiesSince(before)[0]!.tools!.map((tool) => tool.function.name);
    expect(tools).toEqual(expect.arrayContaining(['garrison_read_file', 'garrison_write_file', 'read', 'grep']));
    for (const changing of ['bash', 'edit', 'write', 'apply_patch', 'task']) expect(tools).not.toContain(changing);
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results.map((result) => result.isError)).toEqual([false, true, false]);
    expect(results[0]!.output).toContain('unavailable tool');
    expect(results[2]!.output).toContain('readable');
    expect(await inVolume(volume, 'ls /workspace')).not.toMatch(/opencode-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const spec = missionSpec('ask');
    const base = launchBase(spec.missionId, spec.policy);
    model.script({ toolCalls: [{ name: 'garrison_write_file', input: { path: 'opencode-ask.txt', content: 'approved\n' } }] }, { text: 'Done after approval.' });
    const turn = runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write opencode-ask.txt' }, base), volume);
    const pending = await waitForApproval(volume, base.missionDir, turn);
    expect(pending.request).toMatchObject({ kind: 'approval', tool: expect.stringContaining('write_file') });
    await answerApproval(pending, base.missionDir, 'allow');

    const done = await turn;
    expect(done.exitCode, explain(done)).toBe(0);
    expect(await inVolume(volume, 'cat /workspace/opencode-ask.txt')).toBe('approved\n');
    expect(done.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ isError: false });
    expect(done.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Done after approval.']);
  });

  it('a refused model call ends the turn with an error and a failing exit code', async () => {
    const spec = missionSpec('auto');
    model.script({ error: { status: 400, type: 'invalid_request_error', message: 'budget exceeded for this mission' } });
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Anything' }, launchBase(spec.missionId, spec.policy)), volume);
    record('model-error-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).not.toBe(0);
    expect(turn.events.find((event) => event.type === 'error')!.payload).toMatchObject({ message: 'budget exceeded for this mission' });
    expect(model.remaining()).toBe(0);
  });
});
