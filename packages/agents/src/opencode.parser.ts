import type { OutputParser, ParsedEvent } from './adapter.ts';
import { capText } from './event-text.ts';
import { createJsonLineParser } from './json-line-parser.ts';
import { eventToolName } from './mcp-tool-name.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asCount = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/** A tool part as `run --format json` prints it: once, when the call completed or failed. */
function toolEvents(part: Json): ParsedEvent[] {
  const state = isObject(part.state) ? part.state : {};
  const callId = String(part.callID ?? part.id ?? '');
  const call: ParsedEvent = { type: 'tool.call', payload: { callId, name: eventToolName(String(part.tool ?? '')), input: state.input ?? {} } };
  if (state.status !== 'completed' && state.status !== 'error') return [call];
  const isError = state.status === 'error';
  const { text, truncated } = capText(String((isError ? state.error : state.output) ?? ''));
  return [call, { type: 'tool.result', payload: { callId, output: text, isError, ...(truncated ? { truncated } : {}) } }];
}

/**
 * OpenCode's counts split what OpenAI reports: `input` leaves out the cached part, `output` the
 * reasoning. inputTokens counts every input token and outputTokens every output token, as for
 * the other agents. The cost is left out when OpenCode has no price for the model (ours: 0).
 */
function usageOf(part: Json): ParsedEvent {
  const tokens = isObject(part.tokens) ? part.tokens : {};
  const cache = isObject(tokens.cache) ? tokens.cache : {};
  const cost = typeof part.cost === 'number' && part.cost > 0 ? { costUsd: part.cost } : {};
  return {
    type: 'usage',
    payload: {
      inputTokens: asCount(tokens.input) + asCount(cache.read) + asCount(cache.write),
      outputTokens: asCount(tokens.output) + asCount(tokens.reasoning),
      cacheReadTokens: asCount(cache.read),
      ...cost,
    },
  };
}

/** A session error: the provider's message (APIError carries it in data), never its headers. */
function errorOf(error: unknown): ParsedEvent {
  const body = isObject(error) ? error : {};
  const data = isObject(body.data) ? body.data : {};
  const message = String(data.message ?? body.message ?? (typeof error === 'string' ? error : 'OpenCode reported an error'));
  return { type: 'error', payload: { code: String(body.name ?? 'agent_error'), message: capText(message).text } };
}

function onLine(line: Json): ParsedEvent[] {
  const part = isObject(line.part) ? line.part : {};
  switch (line.type) {
    case 'text':
      return typeof part.text === 'string' && part.text !== '' ? [{ type: 'agent.message', payload: capText(part.text) }] : [];
    case 'reasoning':
      return typeof part.text === 'string' && part.text !== '' ? [{ type: 'agent.thinking', payload: capText(part.text) }] : [];
    case 'tool_use':
      return toolEvents(part);
    case 'step_finish':
      return [usageOf(part)];
    case 'error':
      return [errorOf(line.error)];
    default:
      // step_start and whatever a later OpenCode adds: its own JSON, nothing to show.
      return [];
  }
}

/**
 * Reads `opencode run --format json`: one JSON object per finished part (text, reasoning with
 * --thinking, tool calls with their results, step ends with token counts), each with the session
 * id. It prints no token deltas, so there is no agent.delta.
 */
export function createOpenCodeParser(): OutputParser {
  return createJsonLineParser((line, session) => {
    if (session.id === undefined && typeof line.sessionID === 'string' && line.sessionID !== '') session.id = line.sessionID;
    return onLine(line);
  });
}
