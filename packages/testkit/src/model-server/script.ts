/** One tool call the scripted model makes; `input` becomes the tool's JSON arguments. */
export interface ScriptedToolCall {
  name: string;
  input: Record<string, unknown>;
  /**
   * Responses API only: the namespace of a namespaced tool. Codex offers MCP tools as a
   * `namespace` tool (`mcp__<server>`) and runs a call only when the function_call carries it.
   */
  namespace?: string;
}

/** Pacing shared by every turn: `delayMs` before the response starts, `chunkDelayMs` between stream events. */
export interface TurnPacing {
  delayMs?: number;
  chunkDelayMs?: number;
}

/** A successful answer: any mix of thinking, text and tool calls (tool calls make the stop reason a tool stop). */
export interface ScriptedReply extends TurnPacing {
  text?: string;
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
}

/** Answered as the provider's own error JSON with this HTTP status. */
export interface ScriptedError extends TurnPacing {
  error: { status: number; type: string; message: string };
}

/** A stream that starts, sends one line that is not JSON, and closes. */
export interface ScriptedMalformed extends TurnPacing {
  malformed: true;
}

export type ScriptedTurn = ScriptedReply | ScriptedError | ScriptedMalformed;

export function isErrorTurn(turn: ScriptedTurn): turn is ScriptedError {
  return 'error' in turn;
}

export function isMalformedTurn(turn: ScriptedTurn): turn is ScriptedMalformed {
  return 'malformed' in turn && turn.malformed === true;
}

/** What every provider needs to know about the request it answers. */
export interface ReplyContext {
  model: string;
  inputTokens: number;
  /** Unique per request, so ids in one answer never collide with another's. */
  seq: number;
}

/** One server-sent event; `event` is omitted by Chat Completions, which sends bare `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** How one wire format renders a scripted turn. Pure functions, so they are easy to test alone. */
export interface ModelApiFormat {
  errorBody(type: string, message: string): unknown;
  json(reply: ScriptedReply, context: ReplyContext): unknown;
  events(reply: ScriptedReply, context: ReplyContext): SseEvent[];
}

/** Rough token count (about four characters a token), enough for usage fields and count_tokens. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Splits text into a few pieces so streams carry more than one delta, as real ones do. */
export function chunkText(text: string, pieces = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / Math.min(pieces, text.length));
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return chunks;
}

export function outputTokens(reply: ScriptedReply): number {
  return estimateTokens(`${reply.thinking ?? ''}${reply.text ?? ''}${JSON.stringify(reply.toolCalls ?? [])}`);
}
