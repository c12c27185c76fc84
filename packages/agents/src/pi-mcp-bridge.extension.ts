/**
 * A pi extension that gives pi the workspace MCP server's tools. pi has no MCP client by design,
 * so this one speaks MCP's stdio transport by hand: newline-delimited JSON-RPC, `initialize`,
 * `tools/list`, `tools/call`. Each MCP tool becomes a pi tool named `<server>_<tool>`.
 *
 * pi loads it (through jiti) from the mission dir, where no package resolves: it imports node
 * built-ins only and declares the few pi types it uses. The pi adapter writes this file's text
 * (PI_MCP_BRIDGE_SOURCE, generated from it) plus a default export carrying the config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BridgeConfig {
  /** Prefix of the tool names, and the server's name in messages. */
  serverName: string;
  command: string;
  args: string[];
  /** Added to pi's environment for the server. */
  env: Record<string, string>;
  /** When set, only these of pi's built-in tools stay active (next to the MCP tools). */
  builtinTools?: string[];
}

interface McpTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

type ToolContent = { type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string };

/** The part of pi's ExtensionAPI this extension uses (pi's own types are not installed here). */
export interface PiExtensionApi {
  registerTool(tool: {
    name: string;
    label: string;
    description: string;
    parameters: Record<string, unknown>;
    execute(toolCallId: string, params: unknown, signal?: AbortSignal): Promise<{ content: ToolContent[]; details: unknown }>;
  }): void;
  on(event: string, handler: (event: any) => unknown): void;
  getAllTools(): Array<{ name: string }>;
  setActiveTools(names: string[]): void;
}

const PROTOCOL_VERSION = '2025-06-18';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One MCP server over stdio. Requests carry no timeout: an approval may wait for a person all day. */
export class McpStdioClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;
  // Plain fields, no parameter properties: the file stays erasable TypeScript for any loader.
  private readonly child: ChildProcess;
  private readonly name: string;

  constructor(child: ChildProcess, name: string) {
    this.child = child;
    this.name = name;
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => this.receive(line));
    // A write after the server died fails with EPIPE; the exit handler below reports it.
    child.stdin!.on('error', () => {});
    child.on('error', (error) => this.fail(new Error(`the ${name} MCP server could not start: ${error.message}`)));
    child.on('exit', (code, signal) => this.fail(new Error(`the ${name} MCP server exited (${signal ?? `code ${code}`})`)));
  }

  static start(config: Pick<BridgeConfig, 'serverName' | 'command' | 'args' | 'env'>): McpStdioClient {
    // stderr is pi's: the server's own diagnostics land in the mission's process output.
    const child = spawn(config.command, config.args, { env: { ...process.env, ...config.env }, stdio: ['pipe', 'pipe', 'inherit'] });
    return new McpStdioClient(child, config.serverName);
  }

  request(method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(id);
        this.notify('notifications/cancelled', { requestId: id, reason: 'aborted by pi' });
        reject(new Error(`${method} aborted`));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = <T>(finish: (value: T) => void) => (value: T): void => {
        signal?.removeEventListener('abort', onAbort);
        finish(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params?: Record<string, unknown>): void {
    this.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  /** Ends the server; pi's process only exits once nothing holds its event loop. */
  close(): void {
    this.fail(new Error(`the ${this.name} MCP server was closed`));
    this.child.stdin?.end();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    this.child.stdout?.destroy();
    this.child.unref();
  }

  private send(message: Record<string, unknown>): void {
    if (this.child.stdin?.writable) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private receive(line: string): void {
    let message: { id?: number | string; method?: string; result?: unknown; error?: { message?: string } };
    try {
      message = JSON.parse(line);
    } catch {
      return; // Not protocol: a stray print of the server must not kill the bridge.
    }
    if (message.method !== undefined) {
      // Requests from the server: answer ping, refuse the rest (we offer no client features).
      if (message.id === undefined) return;
      if (message.method === 'ping') this.send({ jsonrpc: '2.0', id: message.id, result: {} });
      else this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `${message.method} is not supported by this client` } });
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.error) pending.reject(new Error(message.error.message ?? 'MCP error'));
    else pending.resolve(message.result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}

export async function listMcpTools(client: McpStdioClient): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = (await client.request('tools/list', cursor ? { cursor } : {})) as { tools?: McpTool[]; nextCursor?: string };
    tools.push(...(page.tools ?? []));
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** MCP content to pi's: text and images pass, anything else (resources, audio) as its JSON. */
export function toPiContent(content: unknown): ToolContent[] {
  const items = Array.isArray(content) ? content : [];
  const converted = items.map((item: Record<string, unknown>): ToolContent => {
    if (item?.type === 'text' && typeof item.text === 'string') return { type: 'text', text: item.text };
    if (item?.type === 'image' && typeof item.data === 'string') return { type: 'image', data: item.data, mimeType: String(item.mimeType) };
    return { type: 'text', text: JSON.stringify(item) };
  });
  return converted.length > 0 ? converted : [{ type: 'text', text: '(no output)' }];
}

export async function callMcpTool(client: McpStdioClient, name: string, input: unknown, signal?: AbortSignal) {
  const result = (await client.request('tools/call', { name, arguments: input ?? {} }, signal)) as { content?: unknown; isError?: boolean };
  const content = toPiContent(result?.content);
  // pi marks a tool result as failed only when execute throws.
  if (result?.isError) throw new Error(content.map((item) => (item.type === 'text' ? item.text : `[${item.mimeType} image]`)).join('\n'));
  return { content, details: {} };
}

/**
 * Starts the server, registers its tools and closes it when pi's session ends (else `pi -p`
 * never exits). A server that fails to start fails pi's startup: no silent run without tools.
 */
export async function startMcpBridge(pi: PiExtensionApi, config: BridgeConfig): Promise<void> {
  const client = McpStdioClient.start(config);
  // Also when pi exits without ending its session (a startup error calls process.exit).
  const onExit = (): void => client.close();
  process.once('exit', onExit);
  const close = (): void => {
    process.off('exit', onExit);
    client.close();
  };
  pi.on('session_shutdown', close);
  try {
    await client.request('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'garrison-pi-bridge', version: '1' } });
    client.notify('notifications/initialized');
    const tools = await listMcpTools(client);
    for (const tool of tools) {
      pi.registerTool({
        name: `${config.serverName}_${tool.name}`,
        label: `${config.serverName} ${tool.name}`,
        description: tool.description ?? tool.name,
        parameters: tool.inputSchema ?? { type: 'object', properties: {} },
        execute: (_toolCallId, params, signal) => callMcpTool(client, tool.name, params, signal),
      });
    }
  } catch (error) {
    close();
    throw error;
  }
  const builtins = config.builtinTools;
  if (builtins) {
    const prefix = `${config.serverName}_`;
    // After startup every tool is registered; keep the MCP tools and the allowed built-ins only.
    pi.on('session_start', () => pi.setActiveTools(pi.getAllTools().map((tool) => tool.name).filter((name) => name.startsWith(prefix) || builtins.includes(name))));
    // A call to a tool that is not active never reaches it; this blocks one that somehow does.
    pi.on('tool_call', (event: { toolName: string }) =>
      event.toolName.startsWith(prefix) || builtins.includes(event.toolName) ? undefined : { block: true, reason: `${event.toolName} is not allowed by this mission's policy` });
  }
}

/**
 * `pi --mode json` exits 0 even when the model call failed; the runner reads the exit code, so
 * a run that ended on an error exits 1 as `pi -p` in text mode does.
 */
export function exitNonZeroOnModelError(pi: PiExtensionApi): void {
  pi.on('agent_end', (event: { messages?: Array<{ role?: string; stopReason?: string }> }) => {
    const last = [...(event.messages ?? [])].reverse().find((message) => message.role === 'assistant');
    if (last?.stopReason === 'error') process.exitCode = 1;
  });
}
