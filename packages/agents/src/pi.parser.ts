import type { OutputParser, ParsedEvent } from './adapter.ts';
import { capText } from './event-text.ts';
import { createJsonLineParser, type ParserSession } from './json-line-parser.ts';
import { eventToolName } from './mcp-tool-name.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asCount = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/**
 * pi's `input` leaves out the cached tokens (read and written); inputTokens counts every input
 * token, as for the other agents. The cost is left out when pi has no price for the model (ours).
 */
function usageOf(message: Json): ParsedEvent {
  const usage = isObject(message.usage) ? message.usage : {};
  const total = isObject(usage.cost) ? usage.cost.total : undefined;
  return {
    type: 'usage',
    payload: {
      inputTokens: asCount(usage.input) + asCount(usage.cacheRead) + asCount(usage.cacheWrite),
      outputTokens: asCount(usage.output),
      cacheReadTokens: asCount(usage.cacheRead),
      ...(typeof total === 'number' && total > 0 ? { costUsd: total } : {}),
      ...(typeof message.model === 'string' ? { model: message.model } : {}),
    },
  };
}

/** A finished assistant message: its thinking, text and tool calls in order, then its usage. */
function assistantEvents(message: Json): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  for (const block of asArray(message.content).filter(isObject)) {
    if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') events.push({ type: 'agent.thinking', payload: capText(block.thinking) });
    else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') events.push({ type: 'agent.message', payload: capText(block.text) });
    else if (block.type === 'toolCall') events.push({ type: 'tool.call', payload: { callId: String(block.id ?? ''), name: eventToolName(String(block.name ?? '')), input: block.arguments ?? {} } });
  }
  const usage = usageOf(message);
  // A call that failed before the model answered reports zeros: nothing was used.
  if (usage.payload.inputTokens !== 0 || usage.payload.outputTokens !== 0) events.push(usage);
  if (message.stopReason === 'error' || message.stopReason === 'aborted') {
    const code = message.stopReason === 'error' ? 'model_error' : 'aborted';
    events.push({ type: 'error', payload: { code, message: capText(String(message.errorMessage ?? `the model call ended: ${message.stopReason}`)).text } });
  }
  return events;
}

function toolResult(line: Json): ParsedEvent {
  const result = isObject(line.result) ? line.result : {};
  const output = asArray(result.content)
    .filter(isObject)
    .map((block) => (block.type === 'text' ? String(block.text ?? '') : `[${String(block.type ?? 'content')}]`))
    .join('\n');
  const { text, truncated } = capText(output);
  return { type: 'tool.result', payload: { callId: String(line.toolCallId ?? ''), output: text, isError: line.isError === true, ...(truncated ? { truncated } : {}) } };
}

function onLine(line: Json, session: ParserSession): ParsedEvent[] {
  switch (line.type) {
    case 'session':
      if (typeof line.id === 'string' && line.id !== '') session.id ??= line.id;
      return [];
    case 'message_update': {
      const update = isObject(line.assistantMessageEvent) ? line.assistantMessageEvent : {};
      return update.type === 'text_delta' && typeof update.delta === 'string' && update.delta !== '' ? [{ type: 'agent.delta', payload: { text: capText(update.delta).text } }] : [];
    }
    case 'message_end':
      return isObject(line.message) && line.message.role === 'assistant' ? assistantEvents(line.message) : [];
    case 'tool_execution_end':
      return [toolResult(line)];
    case 'auto_retry_start':
      return [{ type: 'error', payload: { code: 'model_api_retry', message: capText(`attempt ${String(line.attempt)} of ${String(line.maxAttempts)} in ${String(line.delayMs)} ms: ${String(line.errorMessage ?? '')}`).text } }];
    case 'compaction_end':
      return typeof line.errorMessage === 'string' ? [{ type: 'error', payload: { code: 'compaction_failed', message: capText(line.errorMessage).text } }] : [];
    default:
      // Lifecycle events (agent_start, turn_end, tool_execution_start, ...): pi's own JSON, nothing new.
      return [];
  }
}

/**
 * Reads `pi --mode json`: a session header (its id is the session to resume), then every session
 * event. Text streams as text_delta (agent.delta); each finished assistant message carries its
 * text, thinking, tool calls and usage; tool_execution_end carries a tool's result.
 */
export function createPiParser(): OutputParser {
  return createJsonLineParser(onLine);
}
