import { describe, expect, it } from 'vitest';
import type { ScriptedToolCall } from '@garrison/testkit';
import { explain, inVolume, launchBase } from './container-launch.ts';
import { expectMcpWriteTurn, useAgentContainerSuite } from './container-suite.ts';

const suite = useAgentContainerSuite('codex');
const { missionSpec, runTurn, record, expectFollowUpResumes, expectWriteAfterApproval } = suite;

/** Codex offers the MCP server's tools in a namespace and runs a call only when it names it. */
function garrisonTool(name: string, input: Record<string, unknown>): ScriptedToolCall {
  return { name, namespace: 'mcp__garrison', input };
}

/** The Responses request bodies sent since `from`. */
function bodiesSince(from: number): { input: unknown[]; tools: { name?: string; type: string }[] }[] {
  return suite.model.requests.slice(from).filter((request) => request.path === '/v1/responses').map((request) => request.body as { input: unknown[]; tools: { name?: string; type: string }[] });
}

describe('Codex adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    // Codex must accept the quoting of our config.toml, whatever the values hold.
    base.mcp.env.GARRISON_TEST_QUOTING = 'a "quoted" \\ value\nnext line';
    suite.model.script({ toolCalls: [garrisonTool('write_file', { path: 'codex-hello.txt', content: 'hi from codex\n' })] }, { text: 'I wrote codex-hello.txt.' });
    const first = await runTurn(spec, { number: 1, prompt: 'Write codex-hello.txt' }, base);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`codex: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(suite.volume, 'cat /workspace/codex-hello.txt')).toBe('hi from codex\n');
    const { callEvent } = expectMcpWriteTurn(first, 'I wrote codex-hello.txt.');
    expect(callEvent.payload.input).toEqual({ path: 'codex-hello.txt', content: 'hi from codex\n' });
    expect(first.events.find((event) => event.type === 'usage')!.payload).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const before = await expectFollowUpResumes(spec, base, first);
    const resumed = JSON.stringify(bodiesSince(before)[0]!.input);
    expect(resumed).toContain('codex-hello.txt');
    expect(resumed).toContain('I wrote codex-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: Codex offers no shell of its own and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(suite.volume, 'echo "readable" > /workspace/codex-ro-source.txt');
    suite.model.script(
      { toolCalls: [{ name: 'exec_command', input: { cmd: 'echo nope > /workspace/codex-ro-shell.txt' } }] },
      { toolCalls: [garrisonTool('write_file', { path: 'codex-ro-mcp.txt', content: 'nope\n' })] },
      { toolCalls: [garrisonTool('read_file', { path: 'codex-ro-source.txt' })] },
      { text: 'Looked only.' },
    );
    const before = suite.model.requests.length;
    const turn = await runTurn(spec, { number: 1, prompt: 'Look around' });
    expect(turn.exitCode, explain(turn)).toBe(0);

    const [body] = bodiesSince(before);
    const tools = body!.tools.map((tool) => tool.name);
    expect(tools).toContain('mcp__garrison');
    expect(tools).not.toContain('exec_command');
    // The call of a tool that is not offered comes back to the model as an error output.
    expect(JSON.stringify(bodiesSince(before)[1]!.input)).toContain('unsupported call: exec_command');
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results[0]).toMatchObject({ isError: true });
    expect(results[1]).toMatchObject({ isError: false, output: expect.stringContaining('readable') });
    expect(await inVolume(suite.volume, 'ls /workspace')).not.toMatch(/codex-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const write = garrisonTool('write_file', { path: 'codex-ask.txt', content: 'approved\n' });
    const request = await expectWriteAfterApproval(missionSpec('ask'), 'Write codex-ask.txt', [write], 'codex-ask.txt');
    expect(request).toMatchObject({ kind: 'approval', tool: 'mcp__garrison__write_file' });
  });
});
