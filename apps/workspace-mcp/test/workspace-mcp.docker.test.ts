import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecStdioTransport, removeTeamWorkspaces } from '@garrison/testkit';
import { DockerRuntime } from '../../worker/src/runtime/docker-runtime.ts';

const runtime = new DockerRuntime();
const teamId = `mcp-test-${randomBytes(4).toString('hex')}`;
let client: Client;
let initializeMs = 0;

type TextResult = { content: { type: string; text: string }[]; isError?: boolean };

async function call(name: string, args: Record<string, unknown>): Promise<TextResult> {
  return (await client.callTool({ name, arguments: args })) as TextResult;
}

beforeAll(async () => {
  const container = await runtime.ensureWorkspaceContainer({
    workspaceId: teamId,
    teamId,
    image: process.env.GARRISON_WORKSPACE_IMAGE ?? 'garrison/workspace:dev',
    memoryBytes: 512 * 1024 * 1024,
    nanoCpus: 1e9,
    pidsLimit: 256,
  });
  const started = performance.now();
  const exec = await runtime.execStream(container.id, ['node', '/opt/garrison/workspace-mcp.cjs']);
  client = new Client({ name: 'garrison-test', version: '1.0.0' });
  await client.connect(new ExecStdioTransport(exec));
  initializeMs = performance.now() - started;
});

afterAll(async () => {
  await client?.close();
  await removeTeamWorkspaces(teamId);
});

describe('workspace MCP over docker exec', () => {
  it('initializes and lists its tools', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['bash', 'edit_file', 'list_dir', 'read_file', 'write_file']);
    console.log(JSON.stringify({ mcp_initialize_ms: Math.round(initializeMs) }));
  });

  it('writes, edits and reads a file on the volume as uid 1000', async () => {
    expect((await call('write_file', { path: 'notes/a.txt', content: 'one\ntwo\nthree\n' })).isError).toBeFalsy();
    expect((await call('edit_file', { path: 'notes/a.txt', oldText: 'two', newText: 'TWO' })).isError).toBeFalsy();
    const read = await call('read_file', { path: 'notes/a.txt', offset: 2, limit: 1 });
    expect(read.content[0]!.text).toBe('     2\tTWO\n[2 more lines; use offset]');
    const owner = await call('bash', { command: 'stat -c %u notes/a.txt && pwd' });
    expect(owner.content[0]!.text).toContain('1000\n/workspace');
  });

  it('reports a non-zero exit and a timeout as error results, not crashes', async () => {
    const failed = await call('bash', { command: 'echo out; echo err >&2; exit 4' });
    expect(failed.isError).toBe(true);
    expect(failed.content[0]!.text).toBe('exit: 4\nstdout:\nout\n\nstderr:\nerr\n');
    const slow = await call('bash', { command: 'sleep 30', timeoutSeconds: 1 });
    expect(slow.isError).toBe(true);
    expect(slow.content[0]!.text).toMatch(/timed out after 1s/);
  });

  it('caps huge output with a marker', async () => {
    const big = await call('bash', { command: 'head -c 200000 /dev/zero | tr "\\0" y' });
    expect(big.content[0]!.text).toMatch(/\[truncated: \d+ more characters not shown\]/);
    expect(big.content[0]!.text.length).toBeLessThan(70_000);
  });

  it.each([
    ['a parent path', { path: '../etc/passwd' }],
    ['an absolute path', { path: '/etc/passwd' }],
    ['a symlink pointing out', { path: 'out/passwd' }],
  ])('refuses %s', async (_name, args) => {
    await call('bash', { command: 'ln -sfn /etc out' });
    const result = await call('read_file', args);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/outside the workspace/);
  });

  it('refuses to write through a symlink that points out', async () => {
    await call('bash', { command: 'ln -sfn /tmp tmp-link' });
    const result = await call('write_file', { path: 'tmp-link/x', content: 'no' });
    expect(result.isError).toBe(true);
  });

  it('explains an edit whose text matches zero or many times', async () => {
    await call('write_file', { path: 'dup.txt', content: 'a a' });
    expect((await call('edit_file', { path: 'dup.txt', oldText: 'zzz', newText: 'b' })).content[0]!.text).toMatch(/does not occur[\s\S]*Hint/);
    expect((await call('edit_file', { path: 'dup.txt', oldText: 'a', newText: 'b' })).content[0]!.text).toMatch(/more than once/);
  });
});
