import type { OutputParser, ParsedEvent } from './adapter.ts';
import { capText } from './event-text.ts';
import { createJsonLineParser } from './json-line-parser.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Reads `claude -p --output-format stream-json --verbose --include-partial-messages`.
 *
 * Text arrives twice: as `stream_event` text deltas while the model writes, then whole in an
 * `assistant` line. Deltas become agent.delta and the whole text agent.message, so a reader that
 * keeps only messages never sees a text twice. Thinking deltas are skipped: the `assistant` line
 * carries the whole thinking block.
 */
export function createClaudeCodeParser(): OutputParser {
  let model: string | undefined;
  // An API failure is reported by a synthetic assistant line and again by the result line.
  let lastErrorMessage: string | undefined;

  const error = (code: string, message: string): ParsedEvent => {
    lastErrorMessage = message;
    return { type: 'error', payload: { code, message: capText(message).text } };
  };

  const onSystem = (line: Json): ParsedEvent[] => {
    if (line.subtype === 'init') {
      model = asString(line.model) ?? model;
      return [];
    }
    if (line.subtype === 'api_retry') {
      // The CLI retries on its own; saying so keeps a person from reading silence as a hang.
      const status = line.error_status ?? 'no status';
      return [error('model_api_retry', `model API error (${status}, ${String(line.error ?? 'unknown')}); retry ${String(line.attempt)} of ${String(line.max_retries)} in ${String(line.retry_delay_ms)} ms`)];
    }
    return [];
  };

  const onStreamEvent = (line: Json): ParsedEvent[] => {
    const event = isObject(line.event) ? line.event : {};
    const delta = isObject(event.delta) ? event.delta : {};
    if (event.type !== 'content_block_delta' || delta.type !== 'text_delta' || typeof delta.text !== 'string' || delta.text === '') return [];
    return [{ type: 'agent.delta', payload: { text: capText(delta.text).text } }];
  };

  const onAssistant = (line: Json): ParsedEvent[] => {
    const message = isObject(line.message) ? line.message : {};
    const blocks = asArray(message.content).filter(isObject);
    if (line.is_api_error_message === true || typeof line.error === 'string') {
      const text = blocks.map((block) => asString(block.text) ?? '').join('\n').trim();
      const code = asString(line.api_error_type) ?? asString(line.error) ?? 'api_error';
      return [error(code, text || `model API error ${String(line.api_error_status ?? '')}`.trim())];
    }
    return blocks.flatMap((block): ParsedEvent[] => {
      if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') return [{ type: 'agent.message', payload: capText(block.text) }];
      if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') return [{ type: 'agent.thinking', payload: capText(block.thinking) }];
      if (block.type === 'tool_use') return [{ type: 'tool.call', payload: { callId: String(block.id ?? ''), name: String(block.name ?? ''), input: block.input ?? {} } }];
      return [];
    });
  };

  const onUser = (line: Json): ParsedEvent[] => {
    const message = isObject(line.message) ? line.message : {};
    return asArray(message.content)
      .filter(isObject)
      .filter((block) => block.type === 'tool_result')
      .map((block) => {
        const { text, truncated } = capText(toolResultText(block.content));
        return { type: 'tool.result', payload: { callId: String(block.tool_use_id ?? ''), output: text, isError: block.is_error === true, ...(truncated ? { truncated } : {}) } };
      });
  };

  const onResult = (line: Json): ParsedEvent[] => {
    const events: ParsedEvent[] = [];
    if (isObject(line.usage)) events.push({ type: 'usage', payload: usageOf(line, model) });
    const failed = line.is_error === true || (typeof line.subtype === 'string' && line.subtype.startsWith('error'));
    if (failed) {
      const errors = asArray(line.errors).filter((entry): entry is string => typeof entry === 'string');
      const message = asString(line.result) || errors.join('\n') || String(line.subtype ?? 'the agent failed');
      const code = asString(line.api_error_type) ?? asString(line.terminal_reason) ?? String(line.subtype ?? 'agent_error');
      if (message !== lastErrorMessage) events.push(error(code, message));
    }
    return events;
  };

  const handlers: Record<string, (line: Json) => ParsedEvent[]> = {
    system: onSystem,
    stream_event: onStreamEvent,
    assistant: onAssistant,
    user: onUser,
    result: onResult,
  };

  return createJsonLineParser((line, session) => {
    // Every line carries the session; the first one (system/init) is printed before any model call.
    if (!session.id && typeof line.session_id === 'string' && line.session_id !== '') session.id = line.session_id;
    return handlers[line.type]?.(line) ?? [];
  });
}

/** A tool result's content is a string or a list of blocks (text, images). */
function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .filter(isObject)
    .map((block) => (block.type === 'text' ? String(block.text ?? '') : `[${String(block.type ?? 'content')}]`))
    .join('\n');
}

/**
 * The turn's usage. inputTokens counts every input token the model read (fresh, cache writes and
 * cache reads) so it means the same for every agent; cacheReadTokens is the cached part of it.
 * total_cost_usd and modelUsage add up the whole session across resumes, so the cost of this
 * run comes from model_usage_since_last_result when the CLI gives it.
 */
function usageOf(line: Json, initModel: string | undefined): Json {
  const usage = line.usage as Json;
  const cacheRead = asNumber(usage.cache_read_input_tokens);
  const sinceLast = isObject(line.model_usage_since_last_result) ? line.model_usage_since_last_result : undefined;
  const perModel = Object.entries(sinceLast ?? (isObject(line.modelUsage) ? line.modelUsage : {}));
  const costUsd = sinceLast ? perModel.reduce((sum, [, entry]) => sum + (isObject(entry) ? asNumber(entry.costUSD) : 0), 0) : asNumber(line.total_cost_usd);
  const model = perModel[0]?.[0] ?? initModel;
  return {
    inputTokens: Math.round(asNumber(usage.input_tokens) + asNumber(usage.cache_creation_input_tokens) + cacheRead),
    outputTokens: Math.round(asNumber(usage.output_tokens)),
    cacheReadTokens: Math.round(cacheRead),
    costUsd,
    ...(model ? { model } : {}),
  };
}
