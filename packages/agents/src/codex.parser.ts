import type { OutputParser, ParsedEvent } from './adapter.ts';
import { capText, parseJsonLine } from './event-text.ts';
import { createJsonLineParser, type ParserSession } from './json-line-parser.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asCount = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/** Item types that are tool use: a call when the item starts, a result when it completes. */
const TOOL_ITEMS: Record<string, { name: (item: Json) => string; input: (item: Json) => unknown; output: (item: Json) => string }> = {
  command_execution: {
    name: () => 'shell',
    input: (item) => ({ command: item.command }),
    output: (item) => String(item.aggregated_output ?? ''),
  },
  mcp_tool_call: {
    // Named as Claude Code and the approval channel name MCP tools: mcp__<server>__<tool>.
    name: (item) => `mcp__${String(item.server ?? '')}__${String(item.tool ?? '')}`,
    input: (item) => item.arguments ?? {},
    output: mcpOutput,
  },
  file_change: {
    name: () => 'apply_patch',
    input: (item) => ({ changes: item.changes ?? [] }),
    output: (item) => asArray(item.changes).filter(isObject).map((change) => `${String(change.kind ?? 'change')} ${String(change.path ?? '')}`).join('\n'),
  },
  web_search: {
    name: () => 'web_search',
    input: (item) => ({ query: item.query }),
    output: () => '',
  },
};

/**
 * Reads `codex exec --json` (JSONL thread events). Codex prints whole items, not token deltas,
 * so there is no agent.delta. Its `error` items are warnings it went on after (an unknown model's
 * metadata); failures come as top-level `error` and `turn.failed`, which repeat one message.
 */
export function createCodexParser(): OutputParser {
  const startedCalls = new Set<string>();
  let lastErrorMessage: string | undefined;

  const error = (code: string, message: string): ParsedEvent => {
    lastErrorMessage = message;
    return { type: 'error', payload: { code, message: capText(message).text } };
  };
  // Repeats are recognized by the raw message; the event reads the provider's own words.
  const apiError = (fallbackCode: string, raw: string): ParsedEvent => {
    const event = error(...describeApiError(fallbackCode, raw));
    lastErrorMessage = raw;
    return event;
  };

  const toolCall = (item: Json, kind: (typeof TOOL_ITEMS)[string]): ParsedEvent => {
    startedCalls.add(String(item.id));
    return { type: 'tool.call', payload: { callId: String(item.id ?? ''), name: kind.name(item), input: kind.input(item) } };
  };

  const onItem = (item: Json, completed: boolean): ParsedEvent[] => {
    const type = String(item.type);
    const tool = TOOL_ITEMS[type];
    if (tool) {
      if (!completed) return [toolCall(item, tool)];
      const events = startedCalls.has(String(item.id)) ? [] : [toolCall(item, tool)];
      const { text, truncated } = capText(tool.output(item));
      const failed = item.status === 'failed' || isObject(item.error) || (typeof item.exit_code === 'number' && item.exit_code !== 0);
      events.push({ type: 'tool.result', payload: { callId: String(item.id ?? ''), output: text, isError: failed, ...(truncated ? { truncated } : {}) } });
      return events;
    }
    if (!completed) return [];
    if (type === 'agent_message' && typeof item.text === 'string') return [{ type: 'agent.message', payload: capText(item.text) }];
    if (type === 'reasoning' && typeof item.text === 'string' && item.text !== '') return [{ type: 'agent.thinking', payload: capText(item.text) }];
    if (type === 'error') return [error('agent_warning', String(item.message ?? 'codex reported an error'))];
    return [];
  };

  const onLine = (line: Json, session: ParserSession): ParsedEvent[] => {
    switch (line.type) {
      case 'thread.started':
        if (typeof line.thread_id === 'string' && line.thread_id !== '') session.id = line.thread_id;
        return [];
      case 'item.started':
        return isObject(line.item) ? onItem(line.item, false) : [];
      case 'item.completed':
        return isObject(line.item) ? onItem(line.item, true) : [];
      case 'turn.completed':
        return isObject(line.usage) ? [{ type: 'usage', payload: usageOf(line.usage) }] : [];
      case 'turn.failed': {
        const message = isObject(line.error) ? String(line.error.message ?? '') : '';
        if (message === lastErrorMessage) return [];
        return [apiError('turn_failed', message || 'the turn failed')];
      }
      case 'error': {
        const message = String(line.message ?? 'codex reported an error');
        // Codex retries a failed model call by itself and says so before each try.
        if (message.startsWith('Reconnecting...')) return [error('model_api_retry', message)];
        return [apiError('agent_error', message)];
      }
      default:
        return [];
    }
  };

  return createJsonLineParser(onLine);
}

/**
 * Codex passes a provider's error body through as the message; the provider's own message and
 * code read better. Kept as it is when it is not that JSON.
 */
function describeApiError(fallbackCode: string, message: string): [string, string] {
  const body = parseJsonLine(message);
  const inner = body && isObject(body.error) ? body.error : undefined;
  if (!inner || typeof inner.message !== 'string') return [fallbackCode, message];
  const code = typeof inner.code === 'string' ? inner.code : typeof inner.type === 'string' ? inner.type : fallbackCode;
  return [code, inner.message];
}

/** An MCP result is content blocks (text, images) or, failing that, its error. */
function mcpOutput(item: Json): string {
  if (isObject(item.error)) return String(item.error.message ?? 'the tool call failed');
  const result = isObject(item.result) ? item.result : {};
  const blocks = asArray(result.content).filter(isObject);
  if (blocks.length === 0 && result.structured_content != null) return JSON.stringify(result.structured_content);
  return blocks.map((block) => (block.type === 'text' ? String(block.text ?? '') : `[${String(block.type ?? 'content')}]`)).join('\n');
}

/**
 * inputTokens counts every input token (OpenAI's input_tokens already includes the cached
 * ones), cacheReadTokens the cached part: the same meaning as for the other agents.
 */
function usageOf(usage: Json): Json {
  return {
    inputTokens: asCount(usage.input_tokens),
    outputTokens: asCount(usage.output_tokens),
    cacheReadTokens: asCount(usage.cached_input_tokens),
  };
}
