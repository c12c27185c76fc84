import { describe, expect, it } from 'vitest';
import { explain, inVolume, launchBase } from './container-launch.ts';
import { expectMcpWriteTurn, useAgentContainerSuite } from './container-suite.ts';

const suite = useAgentContainerSuite('claude-code');
const { missionSpec, runTurn, record, expectFollowUpResumes, expectWriteAfterApproval } = suite;

function messagesOf(requestIndex: number): { role: string; content: unknown }[] {
  return (suite.model.requests[requestIndex]!.body as { messages: { role: string; content: unknown }[] }).messages;
}

function toolNamesOf(requestIndex: number): string[] {
  return (suite.model.requests[requestIndex]!.body as { tools: { name: string }[] }).tools.map((tool) => tool.name);
}

describe('Claude Code adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    suite.model.script(
      { toolCalls: [{ name: 'mcp__garrison__write_file', input: { path: 'claude-hello.txt', content: 'hi from claude\n' } }] },
      { text: 'I wrote claude-hello.txt.' },
    );
    const first = await runTurn(spec, { number: 1, prompt: 'Write claude-hello.txt' }, base);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`claude-code: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(suite.volume, 'cat /workspace/claude-hello.txt')).toBe('hi from claude\n');
    expectMcpWriteTurn(first, 'I wrote claude-hello.txt.');
    expect(first.events.find((event) => event.type === 'usage')!.payload).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number), model: 'claude-sonnet-4-5' });
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const before = await expectFollowUpResumes(spec, base, first);
    const resumed = JSON.stringify(messagesOf(suite.model.requests.findIndex((request, index) => index >= before && request.path === '/v1/messages')));
    expect(resumed).toContain('mcp__garrison__write_file');
    expect(resumed).toContain('I wrote claude-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: built-in tools that change things are not offered, MCP reads work', async () => {
    const spec = missionSpec('read-only');
    await inVolume(suite.volume, 'echo "readable" > /workspace/ro-source.txt');
    suite.model.script(
      { toolCalls: [{ name: 'Bash', input: { command: 'echo nope > /workspace/ro-bash.txt', description: 'write' } }, { name: 'mcp__garrison__read_file', input: { path: 'ro-source.txt' } }] },
      { text: 'Read it.' },
    );
    const before = suite.model.requests.length;
    const turn = await runTurn(spec, { number: 1, prompt: 'Look around' });
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = toolNamesOf(before);
    expect(tools).toEqual(expect.arrayContaining(['Read', 'Grep', 'mcp__garrison__read_file']));
    for (const mutating of ['Bash', 'Write', 'Edit', 'NotebookEdit']) expect(tools).not.toContain(mutating);
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results[0]).toMatchObject({ isError: true, output: expect.stringContaining('Bash') });
    expect(results[1]).toMatchObject({ isError: false, output: expect.stringContaining('readable') });
    expect(await inVolume(suite.volume, 'ls /workspace')).not.toContain('ro-bash.txt');
  });

  it('ask: a built-in Bash call waits for a person through the MCP approval tool', async () => {
    const bash = { name: 'Bash', input: { command: 'echo approved > /workspace/ask-bash.txt', description: 'write a file' } };
    const request = await expectWriteAfterApproval(missionSpec('ask'), 'Write with bash', [bash], 'ask-bash.txt');
    expect(request).toMatchObject({ kind: 'approval', tool: 'Bash', summary: expect.stringContaining('echo approved') });
  });
});
