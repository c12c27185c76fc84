import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHDOG, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import { startScriptedModelServer, type ScriptedModelServer } from '@garrison/testkit';
import { findAgentAdapter } from '../src/index.ts';
import { answerApproval, bridgeGateway, createVolume, eventTrail, explain, inVolume, launchBase, removeVolume, runTurnInContainer, waitForApproval, type TurnRun } from './container-launch.ts';

const adapter = findAgentAdapter('pi')!;
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
    agent: 'pi',
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
  const dir = join(import.meta.dirname, 'fixtures', 'pi');
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

/** pi sends user content as text parts. */
function userTexts(body: ChatBody): string[] {
  return body.messages.filter((message) => message.role === 'user').map((message) => (Array.isArray(message.content) ? message.content.map((part: { text?: string }) => part.text ?? '').join('') : String(message.content)));
}

describe('pi adapter in a workspace container', () => {
  it('calls the workspace MCP through the bridge, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    // pi's argv takes a leading '-' for a flag and a leading '@' for a file: the prompt goes on stdin.
    const prompt = '@now -x Write "pi-hello.txt" 0123\n  thanks';
    model.script(
      { thinking: 'The MCP tool writes files.', toolCalls: [{ name: 'garrison_write_file', input: { path: 'pi-hello.txt', content: 'hi from pi\n' } }] },
      { text: 'I wrote pi-hello.txt.' },
    );
    const before = model.requests.length;
    const first = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt }, base), volume);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`pi: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(volume, 'cat /workspace/pi-hello.txt')).toBe('hi from pi\n');
    const [request] = bodiesSince(before);
    expect(userTexts(request!)).toEqual([prompt]);
    expect(request!.tools!.map((tool) => tool.function.name)).toEqual(expect.arrayContaining(['garrison_write_file', 'bash', 'edit', 'write', 'read']));

    const trail = eventTrail(first.events);
    const call = trail.indexOf('tool.call:mcp__garrison__write_file');
    expect(call, trail.join(' ')).toBeGreaterThan(trail.indexOf('agent.thinking'));
    expect(trail.indexOf('tool.result')).toBeGreaterThan(call);
    expect(trail.lastIndexOf('agent.message')).toBeGreaterThan(trail.indexOf('tool.result'));
    const callEvent = first.events.find((event) => event.type === 'tool.call')!;
    expect(callEvent.payload.input).toEqual({ path: 'pi-hello.txt', content: 'hi from pi\n' });
    expect(first.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ callId: callEvent.payload.callId, isError: false, output: expect.stringContaining('wrote') });
    expect(first.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['I wrote pi-hello.txt.']);
    expect(first.events.filter((event) => event.type === 'agent.delta').map((event) => event.payload.text).join('')).toBe('I wrote pi-hello.txt.');
    expect(first.events.filter((event) => event.type === 'usage')).toHaveLength(2);
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.lines.join('\n')).not.toContain('test-mission-token');
    // The key on the volume is the variable's name; the token itself stays in the process env.
    expect(await inVolume(volume, `cat ${base.missionDir}/agent/pi/models.json`)).not.toContain('test-mission-token');

    const resumedAt = model.requests.length;
    model.script({ text: 'Still here, and I remember the file.' });
    const second = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 2, prompt: 'Anything else?', resumeSessionId: first.sessionId }, base), volume);
    record('resume-turn.jsonl', second);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Still here, and I remember the file.']);
    const resumed = JSON.stringify(bodiesSince(resumedAt)[0]!.messages);
    expect(resumed).toContain('pi-hello.txt');
    expect(resumed).toContain('I wrote pi-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: only pi\'s looking tools next to the MCP ones, and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(volume, 'echo "readable" > /workspace/pi-ro-source.txt');
    model.script(
      { toolCalls: [{ name: 'bash', input: { command: 'echo nope > /workspace/pi-ro-shell.txt' } }] },
      { toolCalls: [{ name: 'garrison_write_file', input: { path: 'pi-ro-mcp.txt', content: 'nope\n' } }] },
      { toolCalls: [{ name: 'garrison_read_file', input: { path: 'pi-ro-source.txt' } }] },
      { text: 'Looked only.' },
    );
    const before = model.requests.length;
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Look around' }, launchBase(spec.missionId, spec.policy)), volume);
    record('read-only-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = bodiesSince(before)[0]!.tools!.map((tool) => tool.function.name);
    expect(tools.filter((name) => !name.startsWith('garrison_'))).toEqual(['read', 'grep', 'ls']);
    expect(tools).toEqual(expect.arrayContaining(['garrison_read_file', 'garrison_write_file']));
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results.map((result) => result.isError)).toEqual([true, true, false]);
    expect(results[0]!.output).toContain('not found');
    expect(results[1]!.output).toContain('read-only');
    expect(results[2]!.output).toContain('readable');
    expect(await inVolume(volume, 'ls /workspace')).not.toMatch(/pi-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const spec = missionSpec('ask');
    const base = launchBase(spec.missionId, spec.policy);
    model.script({ toolCalls: [{ name: 'garrison_write_file', input: { path: 'pi-ask.txt', content: 'approved\n' } }] }, { text: 'Done after approval.' });
    const turn = runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write pi-ask.txt' }, base), volume);
    const pending = await waitForApproval(volume, base.missionDir, turn);
    expect(pending.request).toMatchObject({ kind: 'approval', tool: expect.stringContaining('write_file') });
    await answerApproval(pending, base.missionDir, 'allow');

    const done = await turn;
    expect(done.exitCode, explain(done)).toBe(0);
    expect(await inVolume(volume, 'cat /workspace/pi-ask.txt')).toBe('approved\n');
    expect(done.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ isError: false });
    expect(done.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Done after approval.']);
  });

  it('a refused model call ends the turn with an error and a failing exit code', async () => {
    const spec = missionSpec('auto');
    model.script({ error: { status: 400, type: 'invalid_request_error', message: 'budget exceeded for this mission' } });
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Anything' }, launchBase(spec.missionId, spec.policy)), volume);
    record('model-error-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(1);
    expect(turn.events.find((event) => event.type === 'error')!.payload).toMatchObject({ code: 'model_error', message: expect.stringContaining('budget exceeded for this mission') });
    expect(model.remaining()).toBe(0);
  });
});
