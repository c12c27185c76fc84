import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@garrison/testkit';
import { exitNonZeroOnModelError, startMcpBridge, type BridgeConfig, type PiExtensionApi } from '../src/pi-mcp-bridge.extension.ts';
import { PI_MCP_BRIDGE_SOURCE } from '../src/pi-mcp-bridge.source.ts';

type Tool = Parameters<PiExtensionApi['registerTool']>[0];

const SERVER = join(import.meta.dirname, 'fake-mcp-server.mjs');
const CONFIG: BridgeConfig = { serverName: 'garrison', command: process.execPath, args: [SERVER], env: { FAKE_MCP_VALUE: 'from-config' } };
const BUILTINS = ['read', 'bash', 'edit', 'write', 'grep', 'find', 'ls'];

/** pi's side of the extension API, as far as the bridge uses it. */
function fakePi() {
  const tools = new Map<string, Tool>();
  const handlers = new Map<string, ((event: any) => unknown)[]>();
  const pi = {
    active: undefined as string[] | undefined,
    tools,
    registerTool: (tool: Tool) => void tools.set(tool.name, tool),
    on: (event: string, handler: (event: any) => unknown) => void handlers.set(event, [...(handlers.get(event) ?? []), handler]),
    getAllTools: () => [...BUILTINS, ...tools.keys()].map((name) => ({ name })),
    setActiveTools: (names: string[]) => void (pi.active = names),
    emit: (event: string, payload: unknown = {}) => (handlers.get(event) ?? []).map((handler) => handler(payload)),
  };
  return pi;
}

let started: ReturnType<typeof fakePi>[] = [];
async function bridge(config: Partial<BridgeConfig> = {}) {
  const pi = fakePi();
  started.push(pi);
  await startMcpBridge(pi, { ...CONFIG, ...config });
  return pi;
}

const run = (pi: ReturnType<typeof fakePi>, name: string, input: unknown = {}, signal?: AbortSignal) => pi.tools.get(name)!.execute('call-1', input, signal);
async function whoami(pi: ReturnType<typeof fakePi>): Promise<{ pid: number; fake: string | null; cancelled: number[] }> {
  const { content } = await run(pi, 'garrison_whoami');
  return JSON.parse((content[0] as { text: string }).text);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(() => {
  for (const pi of started) pi.emit('session_shutdown');
  started = [];
});

describe('pi MCP bridge', () => {
  it('registers every tool of every page under the server prefix, with its schema', async () => {
    const pi = await bridge();
    expect([...pi.tools.keys()]).toEqual(['garrison_echo', 'garrison_fail', 'garrison_image', 'garrison_hang', 'garrison_crash', 'garrison_whoami']);
    expect(pi.tools.get('garrison_echo')).toMatchObject({ label: 'garrison echo', description: 'Echoes its text', parameters: { type: 'object', required: ['text'] } });
    expect(pi.tools.get('garrison_image')!.description).toBe('image');
  });

  it('forwards calls with their arguments and hands the server its env', async () => {
    const pi = await bridge();
    expect(await run(pi, 'garrison_echo', { text: 'hello' })).toEqual({ content: [{ type: 'text', text: 'echo: hello' }], details: {} });
    expect(await whoami(pi)).toMatchObject({ fake: 'from-config' });
  });

  it('turns an MCP error result into a thrown error (pi marks the call failed) and passes images', async () => {
    const pi = await bridge();
    await expect(run(pi, 'garrison_fail')).rejects.toThrow('it failed');
    expect((await run(pi, 'garrison_image')).content).toEqual([
      { type: 'image', data: 'aGk=', mimeType: 'image/png' },
      { type: 'text', text: '{"type":"resource","resource":{"uri":"file:///x"}}' },
    ]);
  });

  it('cancels a call pi aborts and tells the server', async () => {
    const pi = await bridge();
    const abort = new AbortController();
    const hanging = run(pi, 'garrison_hang', {}, abort.signal);
    abort.abort();
    await expect(hanging).rejects.toThrow('tools/call aborted');
    const seen = await waitFor(async () => {
      const { cancelled } = await whoami(pi);
      return cancelled.length > 0 ? cancelled : undefined;
    }, { timeoutMs: 5000, what: 'the cancellation at the server' });
    expect(seen).toHaveLength(1);
  });

  it('fails the calls in flight when the server dies, and every call after', async () => {
    const pi = await bridge();
    await expect(run(pi, 'garrison_crash')).rejects.toThrow('the garrison MCP server exited (code 3)');
    await expect(run(pi, 'garrison_echo', { text: 'x' })).rejects.toThrow('exited (code 3)');
  });

  it('stops the server when pi\'s session ends, so `pi -p` can exit', async () => {
    const pi = await bridge();
    const { pid } = await whoami(pi);
    expect(alive(pid)).toBe(true);
    pi.emit('session_shutdown');
    await waitFor(async () => !alive(pid) || undefined, { timeoutMs: 5000, what: 'the MCP server to exit' });
    await expect(run(pi, 'garrison_echo', { text: 'x' })).rejects.toThrow('was closed');
  });

  it('fails pi\'s startup when the server cannot start', async () => {
    await expect(bridge({ command: '/nonexistent/mcp-server' })).rejects.toThrow('could not start');
    await expect(bridge({ args: ['-e', 'process.exit(2)'] })).rejects.toThrow('exited (code 2)');
  });

  it('with builtinTools, leaves only those and the MCP tools active and blocks any other call', async () => {
    const pi = await bridge({ builtinTools: ['read', 'grep', 'ls'] });
    pi.emit('session_start');
    expect(pi.active).toEqual(['read', 'grep', 'ls', ...pi.tools.keys()]);
    expect(pi.emit('tool_call', { toolName: 'bash' })).toEqual([{ block: true, reason: "bash is not allowed by this mission's policy" }]);
    expect(pi.emit('tool_call', { toolName: 'garrison_echo' })).toEqual([undefined]);
    const free = await bridge();
    free.emit('session_start');
    expect(free.active).toBeUndefined();
  });

  it('makes pi exit non-zero when its run ended on a model error', () => {
    const pi = fakePi();
    exitNonZeroOnModelError(pi);
    const before = process.exitCode;
    try {
      pi.emit('agent_end', { messages: [{ role: 'user' }, { role: 'assistant', stopReason: 'stop' }] });
      expect(process.exitCode).toBe(before);
      pi.emit('agent_end', { messages: [{ role: 'assistant', stopReason: 'toolUse' }, { role: 'toolResult' }, { role: 'assistant', stopReason: 'error' }] });
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
  });

  it('is embedded verbatim for the adapter (run scripts/embed-pi-bridge.mjs after editing it)', () => {
    expect(PI_MCP_BRIDGE_SOURCE).toBe(readFileSync(join(import.meta.dirname, '../src/pi-mcp-bridge.extension.ts'), 'utf8'));
  });
});
