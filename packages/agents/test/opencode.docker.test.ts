import { describe, expect, it } from 'vitest';
import { explain, inVolume, launchBase } from './container-launch.ts';
import { expectMcpWriteTurn, useAgentContainerSuite } from './container-suite.ts';

const suite = useAgentContainerSuite('opencode');
const { missionSpec, runTurn, record, chatBodiesSince, expectFollowUpResumes, expectWriteAfterApproval } = suite;

describe('OpenCode adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    // Words OpenCode's argv would mangle (a leading dash, quotes, a number, an @): the prompt goes on stdin.
    const prompt = '-x Write "opencode-hello.txt" 0123 @now\n  thanks';
    suite.model.script(
      { thinking: 'The MCP tool writes files.', toolCalls: [{ name: 'garrison_write_file', input: { path: 'opencode-hello.txt', content: 'hi from opencode\n' } }] },
      { text: 'I wrote opencode-hello.txt.' },
    );
    const before = suite.model.requests.length;
    const first = await runTurn(spec, { number: 1, prompt }, base);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`opencode: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(suite.volume, 'cat /workspace/opencode-hello.txt')).toBe('hi from opencode\n');
    const [request] = chatBodiesSince(before);
    expect(request!.messages.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([prompt]);
    expect(request!.tools!.map((tool) => tool.function.name)).toEqual(expect.arrayContaining(['garrison_write_file', 'bash']));
    // One request per scripted turn: our --title spares OpenCode's own title call.
    expect(chatBodiesSince(before)).toHaveLength(2);

    const { trail, call, callEvent } = expectMcpWriteTurn(first, 'I wrote opencode-hello.txt.');
    expect(call, trail.join(' ')).toBeGreaterThan(trail.indexOf('agent.thinking'));
    expect(callEvent.payload.input).toEqual({ path: 'opencode-hello.txt', content: 'hi from opencode\n' });
    expect(first.events.filter((event) => event.type === 'usage')).toHaveLength(2);
    expect(first.sessionId).toMatch(/^ses_/);

    const resumedAt = await expectFollowUpResumes(spec, base, first);
    const resumed = JSON.stringify(chatBodiesSince(resumedAt)[0]!.messages);
    expect(resumed).toContain('opencode-hello.txt');
    expect(resumed).toContain('I wrote opencode-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: OpenCode offers none of its own changing tools and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(suite.volume, 'echo "readable" > /workspace/opencode-ro-source.txt');
    suite.model.script(
      { toolCalls: [{ name: 'bash', input: { command: 'echo nope > /workspace/opencode-ro-shell.txt', description: 'write' } }] },
      { toolCalls: [{ name: 'garrison_write_file', input: { path: 'opencode-ro-mcp.txt', content: 'nope\n' } }] },
      { toolCalls: [{ name: 'garrison_read_file', input: { path: 'opencode-ro-source.txt' } }] },
      { text: 'Looked only.' },
    );
    const before = suite.model.requests.length;
    const turn = await runTurn(spec, { number: 1, prompt: 'Look around' });
    record('read-only-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = chatBodiesSince(before)[0]!.tools!.map((tool) => tool.function.name);
    expect(tools).toEqual(expect.arrayContaining(['garrison_read_file', 'garrison_write_file', 'read', 'grep']));
    for (const changing of ['bash', 'edit', 'write', 'apply_patch', 'task']) expect(tools).not.toContain(changing);
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results.map((result) => result.isError)).toEqual([false, true, false]);
    expect(results[0]!.output).toContain('unavailable tool');
    expect(results[2]!.output).toContain('readable');
    expect(await inVolume(suite.volume, 'ls /workspace')).not.toMatch(/opencode-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const write = { name: 'garrison_write_file', input: { path: 'opencode-ask.txt', content: 'approved\n' } };
    const request = await expectWriteAfterApproval(missionSpec('ask'), 'Write opencode-ask.txt', [write], 'opencode-ask.txt');
    expect(request).toMatchObject({ kind: 'approval', tool: expect.stringContaining('write_file') });
  });

  it('a refused model call ends the turn with an error and a failing exit code', async () => {
    const spec = missionSpec('auto');
    suite.model.script({ error: { status: 400, type: 'invalid_request_error', message: 'budget exceeded for this mission' } });
    const turn = await runTurn(spec, { number: 1, prompt: 'Anything' });
    record('model-error-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).not.toBe(0);
    expect(turn.events.find((event) => event.type === 'error')!.payload).toMatchObject({ message: 'budget exceeded for this mission' });
    expect(suite.model.remaining()).toBe(0);
  });
});
