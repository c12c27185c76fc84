import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicFormat } from './anthropic-format.ts';
import { openAiChatFormat } from './openai-chat-format.ts';
import { openAiResponsesFormat } from './openai-responses-format.ts';
import { estimateTokens, isErrorTurn, isMalformedTurn, type ModelApiFormat, type ReplyContext, type ScriptedReply, type ScriptedTurn, type SseEvent } from './script.ts';

export * from './script.ts';
export { anthropicFormat, openAiChatFormat, openAiResponsesFormat };

/** A request as the server saw it, credentials removed. */
export interface RecordedModelRequest {
  method: string;
  /** Without the query string: Claude Code calls `/v1/messages?beta=true`. */
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The body exactly as it arrived (UTF-8), for tests of a proxy that must not change it. */
  rawBody: string;
  /** sha256 (hex) of the key the request carried, only with `recordCredentialHashes`. */
  credentialSha256?: string | null;
}

export interface ScriptedModelServerOptions {
  /** `0.0.0.0` when a workspace container has to reach it through its network's gateway. */
  host?: '127.0.0.1' | '0.0.0.0';
  port?: number;
  /**
   * Answers a request without consuming a scripted turn when it returns a turn. For side calls a
   * CLI makes that a test does not care about (see `isClaudeCodeSideCall`).
   */
  auxiliary?: (request: RecordedModelRequest) => ScriptedTurn | undefined;
  /**
   * Also record a hash of the key each request carried (x-api-key, else the bearer token), so a
   * test can tell which key reached the provider without any key being kept in the recording.
   */
  recordCredentialHashes?: boolean;
}

export interface ScriptedModelServer {
  /** Base URL without `/v1`, e.g. `http://127.0.0.1:41234` (what ANTHROPIC_BASE_URL wants). */
  url: string;
  port: number;
  /** Appends turns to the queue; each model request consumes the next one. */
  script(...turns: (ScriptedTurn | ScriptedTurn[])[]): void;
  /** Turns not consumed yet. */
  remaining(): number;
  /** Every request, in arrival order (live array). */
  requests: RecordedModelRequest[];
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'cookie', 'chatgpt-account-id']);

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'gpt-5-codex', 'scripted-model'];

const TURN_ROUTES: Record<string, { format: ModelApiFormat; errorType: string }> = {
  '/v1/messages': { format: anthropicFormat, errorType: 'api_error' },
  '/v1/responses': { format: openAiResponsesFormat, errorType: 'server_error' },
  '/v1/chat/completions': { format: openAiChatFormat, errorType: 'server_error' },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function credentialHash(req: IncomingMessage): string | null {
  const apiKey = req.headers['x-api-key'];
  const key = typeof apiKey === 'string' ? apiKey : /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  return key ? createHash('sha256').update(key).digest('hex') : null;
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_scripted_${Date.now()}`, ...headers });
  res.end(JSON.stringify(body));
}

function listModels() {
  // One shape both SDKs accept: Anthropic reads type/display_name/has_more, OpenAI reads object/owned_by.
  const data = MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z', object: 'model', created: 1735689600, owned_by: 'scripted' }));
  return { object: 'list', data, has_more: false, first_id: MODELS[0], last_id: MODELS[MODELS.length - 1] };
}

async function writeStream(res: ServerResponse, events: SseEvent[], chunkDelayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const [index, event] of events.entries()) {
    if (res.destroyed) return;
    if (index > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
    res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
  }
  res.end();
}

async function answerTurn(res: ServerResponse, turn: ScriptedTurn, format: ModelApiFormat, body: Record<string, unknown>, context: ReplyContext): Promise<void> {
  if (turn.delayMs) await sleep(turn.delayMs);
  const stream = body.stream === true;
  if (isErrorTurn(turn)) return sendJson(res, turn.error.status, format.errorBody(turn.error.type, turn.error.message));
  if (isMalformedTurn(turn)) {
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"scripted": "malformed');
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return void res.end('event: message_start\ndata: {"type": "message_start", "scripted": "malformed\n\n');
  }
  const reply: ScriptedReply = turn;
  if (!stream) return sendJson(res, 200, format.json(reply, context));
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const events = format === openAiChatFormat ? openAiChatFormat.events(reply, context, includeUsage) : format.events(reply, context);
  await writeStream(res, events, turn.chunkDelayMs ?? 0);
}

/**
 * A model provider for tests: speaks the Anthropic Messages API, the OpenAI Responses API and
 * Chat Completions, and answers each request with the next turn of a per-test script. An empty
 * script is a loud 500, never a made-up answer.
 */
export async function startScriptedModelServer(options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const queue: ScriptedTurn[] = [];
  const requests: RecordedModelRequest[] = [];
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://scripted');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !SECRET_HEADERS.has(name)));
    const rawBody = await readBody(req);
    const body = parseBody(rawBody);
    const recorded: RecordedModelRequest = { method: req.method ?? 'GET', path, query: url.search, headers, body, rawBody };
    if (options.recordCredentialHashes) recorded.credentialSha256 = credentialHash(req);
    requests.push(recorded);
    seq += 1;

    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, listModels());
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      const { messages, system, tools } = (body ?? {}) as Record<string, unknown>;
      return sendJson(res, 200, { input_tokens: estimateTokens({ messages, system, tools }) });
    }
    const route = req.method === 'POST' ? TURN_ROUTES[path] : undefined;
    if (!route) {
      const format = path.startsWith('/v1/messages') ? anthropicFormat : openAiChatFormat;
      return sendJson(res, 404, format.errorBody('not_found_error', `Scripted model server has no route ${req.method} ${path}.`));
    }
    if (typeof body !== 'object' || body === null) {
      return sendJson(res, 400, route.format.errorBody('invalid_request_error', 'Scripted model server: the body is not a JSON object.'));
    }
    const fields = body as Record<string, unknown>;
    const turn = options.auxiliary?.(recorded) ?? queue.shift();
    if (!turn) {
      // x-should-retry stops the Anthropic and OpenAI SDKs from retrying, so the test fails at once.
      return sendJson(res, 500, route.format.errorBody(route.errorType, `Scripted model server: the script ran out of turns at request #${requests.length} (${req.method} ${path}). Script more turns.`), { 'x-should-retry': 'false' });
    }
    const context: ReplyContext = { model: typeof fields.model === 'string' ? fields.model : 'scripted-model', inputTokens: estimateTokens(fields.messages ?? fields.input ?? ''), seq };
    await answerTurn(res, turn, route.format, fields, context);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'server_error', message: `Scripted model server failed: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : (options.host ?? '127.0.0.1')}:${port}`,
    port,
    requests,
    script: (...turns) => void queue.push(...turns.flat()),
    remaining: () => queue.length,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
