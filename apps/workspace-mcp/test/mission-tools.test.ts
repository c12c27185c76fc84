import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerPolicy } from '@garrison/core/runner-constants';
import { buildServer } from '../src/server.ts';
import { FakeResponder } from './fake-responder.ts';

type TextResult = { content: { type: string; text: string }[]; isError?: boolean };

let base: string;
let root: string;
let missionDir: string;
let responder: FakeResponder;
const clients: Client[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'h-mcp-mission-'));
  root = join(base, 'workspace');
  missionDir = join(base, 'mission');
  await mkdir(root);
  responder = new FakeResponder(missionDir);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await rm(base, { recursive: true, force: true });
});

/** A server and client linked in memory; `inMission: false` is the worker's own use (no mission dir). */
async function connect(policy: RunnerPolicy | undefined, options: { inMission?: boolean } = {}) {
  const server = buildServer({ root, ...(policy ? { policy } : {}), ...(options.inMission === false ? {} : { missionDir }) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'mission-tools-test', version: '1.0.0' });
  await client.connect(clientSide);
  clients.push(client);
  return async (name: string, args: Record<string, unknown>): Promise<TextResult> =>
    (await client.callTool({ name, arguments: args })) as TextResult;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('ask_human', () => {
  it('writes an input request and returns the person\'s text', async () => {
    const call = await connect('auto');
    const pending = call('ask_human', { question: 'Which database?', options: ['postgres', 'sqlite'] });
    const request = await responder.nextRequest();
    expect(request).toMatchObject({ kind: 'input', question: 'Which database?', options: ['postgres', 'sqlite'] });
    expect(request.id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    const file = join(missionDir, 'requests', `${request.id}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await responder.answer(request, { text: 'postgres, version 16' });
    const result = await pending;
    expect(result.isError).toBeFalsy();
    expect(result.content[0]!.text).toBe('postgres, version 16');
    expect((await readdir(join(missionDir, 'requests'))).filter((name) => !name.endsWith('.json'))).toEqual([]);
  });

  it('rejects a malformed answer file as an error result and keeps serving', async () => {
    const call = await connect('auto');
    const pending = call('ask_human', { question: 'first?' });
    await responder.writeRaw((await responder.nextRequest()).id, '{"kind": "input", "text": ');
    const bad = await pending;
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/malformed \(not JSON\)[\s\S]*Hint:/);

    const wrongKind = call('ask_human', { question: 'second?' });
    const second = await responder.nextRequest();
    await responder.writeRaw(second.id, JSON.stringify({ id: second.id, kind: 'approval', decision: 'allow', by: 'alice', ts: '' }));
    expect((await wrongKind).content[0]!.text).toMatch(/kind is "approval", expected input/);

    const good = call('ask_human', { question: 'third?' });
    await responder.answer(await responder.nextRequest(), { text: 'fine' });
    expect((await good).content[0]!.text).toBe('fine');
  });

  it('stops waiting when the agent cancels the call, and keeps serving', async () => {
    const call = await connect('auto');
    const client = clients.at(-1)!;
    const abort = new AbortController();
    const cancelled = client.callTool({ name: 'ask_human', arguments: { question: 'never answered' } }, undefined, { signal: abort.signal });
    await responder.nextRequest();
    abort.abort('agent gave up');
    await expect(cancelled).rejects.toThrow();
    const next = call('ask_human', { question: 'still there?' });
    await responder.answer(await responder.nextRequest(), { text: 'yes' });
    expect((await next).content[0]!.text).toBe('yes');
  });

  it('answers outside a mission with an error and a hint', async () => {
    const call = await connect(undefined, { inMission: false });
    const result = await call('ask_human', { question: 'anyone?' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/only works inside a Garrison mission[\s\S]*Hint: Nobody can answer here/);
  });

  it('refuses an empty question and more than ten options', async () => {
    const call = await connect('auto');
    expect((await call('ask_human', { question: '' })).isError).toBe(true);
    expect((await call('ask_human', { question: 'q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) })).isError).toBe(true);
    expect(await exists(join(missionDir, 'requests'))).toBe(false);
  });
});

describe('complete_mission', () => {
  it('writes outcome.json, the last call winning, and tells the agent to stop', async () => {
    const call = await connect('auto');
    const first = await call('complete_mission', { status: 'blocked', summary: 'No access to the registry.' });
    expect(first.isError).toBeFalsy();
    expect(first.content[0]!.text).toMatch(/ends as blocked\. Stop now/);
    await call('complete_mission', { status: 'completed', summary: 'Fixed the parser; tests pass.' });
    const outcome = JSON.parse(await readFile(join(missionDir, 'outcome.json'), 'utf8'));
    expect(outcome).toMatchObject({ status: 'completed', summary: 'Fixed the parser; tests pass.' });
    expect(Number.isNaN(Date.parse(outcome.ts))).toBe(false);
    expect((await stat(join(missionDir, 'outcome.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(missionDir)).toEqual(['outcome.json']);
  });

  it('refuses an unknown status and works only inside a mission', async () => {
    expect((await (await connect('auto'))('complete_mission', { status: 'done', summary: 'x' })).isError).toBe(true);
    const outside = await (await connect('auto', { inMission: false }))('complete_mission', { status: 'completed', summary: 'x' });
    expect(outside.isError).toBe(true);
    expect(await exists(join(missionDir, 'outcome.json'))).toBe(false);
  });
});

describe('approval_prompt (Claude Code --permission-prompt-tool)', () => {
  const bashUse = { tool_name: 'Bash', input: { command: 'rm -rf build\nmake', description: 'rebuild' }, tool_use_id: 'toolu_01' };
  const decision = (result: TextResult) => JSON.parse(result.content[0]!.text) as Record<string, unknown>;

  it('allows at once under auto, with the input unchanged', async () => {
    const result = await (await connect('auto'))('approval_prompt', bashUse);
    expect(decision(result)).toEqual({ behavior: 'allow', updatedInput: bashUse.input });
    expect(await exists(join(missionDir, 'requests'))).toBe(false);
  });

  it('denies at once under read-only', async () => {
    const result = await (await connect('read-only'))('approval_prompt', bashUse);
    expect(decision(result)).toEqual({ behavior: 'deny', message: expect.stringMatching(/read-only: Bash is not allowed/) });
    expect(await exists(join(missionDir, 'requests'))).toBe(false);
  });

  it('asks a person under ask and allows with the original input', async () => {
    const call = await connect('ask');
    const pending = call('approval_prompt', bashUse);
    const request = await responder.nextRequest();
    expect(request).toMatchObject({ kind: 'approval', tool: 'Bash', input: bashUse.input, summary: 'rm -rf build ⏎ make' });
    await responder.answer(request, { decision: 'allow' });
    expect(decision(await pending)).toEqual({ behavior: 'allow', updatedInput: bashUse.input });
  });

  it('denies with the person\'s message, or says who denied', async () => {
    const call = await connect('ask');
    const withMessage = call('approval_prompt', { tool_name: 'Write', input: { file_path: '/workspace/a.txt', content: 'héllo' } });
    const request = await responder.nextRequest();
    expect(request).toMatchObject({ summary: 'write /workspace/a.txt (6 bytes)' });
    await responder.answer(request, { decision: 'deny', message: 'not that file' });
    expect(decision(await withMessage)).toEqual({ behavior: 'deny', message: 'not that file' });

    const bare = call('approval_prompt', { tool_name: 'WebFetch', input: { url: 'https://example.com' } });
    const second = await responder.nextRequest();
    expect(second).toMatchObject({ summary: 'WebFetch {"url":"https://example.com"}' });
    await responder.answer(second, { decision: 'deny', by: 'bob' });
    expect(decision(await bare)).toEqual({ behavior: 'deny', message: 'denied by bob' });
  });

  it('denies, never errors, when the answer file is malformed', async () => {
    const call = await connect('ask');
    const pending = call('approval_prompt', bashUse);
    await responder.writeRaw((await responder.nextRequest()).id, '[]');
    const result = await pending;
    expect(result.isError).toBeFalsy();
    expect(decision(result)).toEqual({ behavior: 'deny', message: expect.stringMatching(/malformed/) });
  });
});

describe('the policy gate on bash, write_file and edit_file', () => {
  it('under ask, writes the file only after a person allows it', async () => {
    const call = await connect('ask');
    const pending = call('write_file', { path: 'notes/a.txt', content: 'hello' });
    const request = await responder.nextRequest();
    expect(request).toMatchObject({ kind: 'approval', tool: 'mcp__garrison__write_file', input: { path: 'notes/a.txt', content: 'hello' }, summary: 'write notes/a.txt (5 bytes)' });
    expect(await exists(join(root, 'notes/a.txt'))).toBe(false);
    await responder.answer(request, { decision: 'allow' });
    expect((await pending).isError).toBeFalsy();
    expect(await readFile(join(root, 'notes/a.txt'), 'utf8')).toBe('hello');
  });

  it('under ask, a denial writes nothing and carries the person\'s message', async () => {
    const call = await connect('ask');
    const pending = call('write_file', { path: 'secret.txt', content: 'x' });
    await responder.answer(await responder.nextRequest(), { decision: 'deny', message: 'put it under docs/ instead' });
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/^alice denied write_file \(write secret.txt \(1 bytes\)\): put it under docs\/ instead\nHint:/);
    expect(await exists(join(root, 'secret.txt'))).toBe(false);
  });

  it('answers two concurrent approvals independently', async () => {
    const call = await connect('ask');
    const first = call('bash', { command: 'echo one > one.txt' });
    const second = call('edit_file', { path: 'two.txt', oldText: 'a', newText: 'b' });
    const requests = [await responder.nextRequest(), await responder.nextRequest()];
    const bash = requests.find((request) => request.kind === 'approval' && request.tool === 'mcp__garrison__bash')!;
    const edit = requests.find((request) => request.kind === 'approval' && request.tool === 'mcp__garrison__edit_file')!;
    expect(bash.id).not.toBe(edit.id);
    expect(edit).toMatchObject({ summary: 'edit two.txt' });
    await responder.answer(edit, { decision: 'deny', message: 'leave two.txt alone' });
    expect((await second).content[0]!.text).toMatch(/leave two.txt alone/);
    expect(await exists(join(root, 'one.txt'))).toBe(false);
    await responder.answer(bash, { decision: 'allow' });
    expect((await first).isError).toBeFalsy();
    expect(await readFile(join(root, 'one.txt'), 'utf8')).toBe('one\n');
  });

  it('under read-only, refuses bash with a hint and still serves the read tools', async () => {
    const call = await connect('read-only');
    const result = await call('bash', { command: 'touch made.txt' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/bash is not allowed: this mission is read-only\.\nHint: this mission is read-only; use read_file, grep, glob, list_dir, git_status, git_diff/);
    expect(await exists(join(root, 'made.txt'))).toBe(false);
    await writeFile(join(root, 'seen.txt'), 'visible\n');
    expect((await call('read_file', { path: 'seen.txt' })).content[0]!.text).toBe('     1\tvisible\n     2\t');
    expect(await exists(join(missionDir, 'requests'))).toBe(false);
  });

  it('under auto (and by default), runs at once without a request', async () => {
    for (const policy of ['auto', undefined] as const) {
      const call = await connect(policy);
      expect((await call('write_file', { path: `auto-${policy}.txt`, content: 'ok' })).isError).toBeFalsy();
    }
    expect(await readFile(join(root, 'auto-undefined.txt'), 'utf8')).toBe('ok');
    expect(await exists(join(missionDir, 'requests'))).toBe(false);
  });

  it('under ask with no mission to ask through, refuses instead of running', async () => {
    const call = await connect('ask', { inMission: false });
    const result = await call('write_file', { path: 'x.txt', content: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/needs a person's approval/);
    expect(await exists(join(root, 'x.txt'))).toBe(false);
  });
});
