import { describe, expect, it } from 'vitest';
import { explain, inVolume, launchBase } from './container-launch.ts';
import { type ChatBody, expectMcpWriteTurn, MISSION_TOKEN, useAgentContainerSuite } from './container-suite.ts';

const suite = useAgentContainerSuite('pi');
const { missionSpec, runTurn, record, chatBodiesSince, expectFollowUpResumes, expectWriteAfterApproval } = suite;

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
    suite.model.script(
      { thinking: 'The MCP tool writes files.', toolCalls: [{ name: 'garrison_write_file', input: { path: 'pi-hello.txt', content: 'hi from pi\n' } }] },
      { text: 'I wrote pi-hello.txt.' },
    );
    const before = suite.model.requests.length;
    const first = await runTurn(spec, { number: 1, prompt }, base);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`pi: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(suite.volume, 'cat /workspace/pi-hello.txt')).toBe('hi from pi\n');
    const [request] = chatBodiesSince(before);
    expect(userTexts(request!)).toEqual([prompt]);
    expect(request!.tools!.map((tool) => tool.function.name)).toEqual(expect.arrayContaining(['garrison_write_file', 'bash', 'edit', 'write', 'read']));

    const { trail, call, callEvent } = expectMcpWriteTurn(first, 'I wrote pi-hello.txt.');
    expect(call, trail.join(' ')).toBeGreaterThan(trail.indexOf('agent.thinking'));
    expect(callEvent.payload.input).toEqual({ path: 'pi-hello.txt', content: 'hi from pi\n' });
    expect(first.events.filter((event) => event.type === 'agent.delta').map((event) => event.payload.text).join('')).toBe('I wrote pi-hello.txt.');
    expect(first.events.filter((event) => event.type === 'usage')).toHaveLength(2);
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // The key on the volume is the variable's name; the token itself stays in the process env.
    expect(await inVolume(suite.volume, `cat ${base.missionDir}/agent/pi/models.json`)).not.toContain(MISSION_TOKEN);

    const resumedAt = await expectFollowUpResumes(spec, base, first);
    const resumed = JSON.stringify(chatBodiesSince(resumedAt)[0]!.messages);
    expect(resumed).toContain('pi-hello.txt');
    expect(resumed).toContain('I wrote pi-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: only pi\'s looking tools next to the MCP ones, and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(suite.volume, 'echo "readable" > /workspace/pi-ro-source.txt');
    suite.model.script(
      { toolCalls: [{ name: 'bash', input: { command: 'echo nope > /workspace/pi-ro-shell.txt' } }] },
      { toolCalls: [{ name: 'garrison_write_file', input: { path: 'pi-ro-mcp.txt', content: 'nope\n' } }] },
      { toolCalls: [{ name: 'garrison_read_file', input: { path: 'pi-ro-source.txt' } }] },
      { text: 'Looked only.' },
    );
    const before = suite.model.requests.length;
    const turn = await runTurn(spec, { number: 1, prompt: 'Look around' });
    record('read-only-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = chatBodiesSince(before)[0]!.tools!.map((tool) => tool.function.name);
    expect(tools.filter((name) => !name.startsWith('garrison_'))).toEqual(['read', 'grep', 'ls']);
    expect(tools).toEqual(expect.arrayContaining(['garrison_read_file', 'garrison_write_file']));
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results.map((result) => result.isError)).toEqual([true, true, false]);
    expect(results[0]!.output).toContain('not found');
    expect(results[1]!.output).toContain('read-only');
    expect(results[2]!.output).toContain('readable');
    expect(await inVolume(suite.volume, 'ls /workspace')).not.toMatch(/pi-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const write = { name: 'garrison_write_file', input: { path: 'pi-ask.txt', content: 'approved\n' } };
    const request = await expectWriteAfterApproval(missionSpec('ask'), 'Write pi-ask.txt', [write], 'pi-ask.txt');
    expect(request).toMatchObject({ kind: 'approval', tool: expect.stringContaining('write_file') });
  });

  it('a refused model call ends the turn with an error and a failing exit code', async () => {
    const spec = missionSpec('auto');
    suite.model.script({ error: { status: 400, type: 'invalid_request_error', message: 'budget exceeded for this mission' } });
    const turn = await runTurn(spec, { number: 1, prompt: 'Anything' });
    record('model-error-turn.jsonl', turn);
    expect(turn.exitCode, explain(turn)).toBe(1);
    expect(turn.events.find((event) => event.type === 'error')!.payload).toMatchObject({ code: 'model_error', message: expect.stringContaining('budget exceeded for this mission') });
    expect(suite.model.remaining()).toBe(0);
  });
});
