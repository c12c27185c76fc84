import type { GatewayApi } from './routes.ts';

/**
 * Reads token usage from each wire format, normalised: `inputTokens` is the whole prompt (cached
 * parts included, as OpenAI reports it; Anthropic reports them apart and they are added here).
 */
export interface CallUsage {
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Running totals; Anthropic streams send usage twice (message_start, then message_delta). */
export interface UsageAccumulator {
  model: string | null;
  anthropic: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  openai: { input?: number; output?: number; cached?: number };
}

export function newAccumulator(): UsageAccumulator {
  return { model: null, anthropic: {}, openai: {} };
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined);

function takeModel(acc: UsageAccumulator, value: unknown): void {
  if (typeof value === 'string' && value) acc.model = value;
}

/** Later reports win field by field: message_delta carries the final output count. */
function addAnthropicUsage(acc: UsageAccumulator, usage: unknown): void {
  const u = asObject(usage);
  if (!u) return;
  const fields = { input: count(u.input_tokens), output: count(u.output_tokens), cacheRead: count(u.cache_read_input_tokens), cacheWrite: count(u.cache_creation_input_tokens) };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) acc.anthropic[name as keyof UsageAccumulator['anthropic']] = value;
}

function addOpenAiUsage(acc: UsageAccumulator, usage: unknown, api: 'responses' | 'chat'): void {
  const u = asObject(usage);
  if (!u) return;
  const details = asObject(api === 'responses' ? u.input_tokens_details : u.prompt_tokens_details);
  acc.openai = {
    input: count(api === 'responses' ? u.input_tokens : u.prompt_tokens),
    output: count(api === 'responses' ? u.output_tokens : u.completion_tokens),
    cached: count(details?.cached_tokens),
  };
}

/** One parsed SSE `data:` payload of a streamed answer. */
export function readStreamEvent(api: GatewayApi, acc: UsageAccumulator, event: unknown): void {
  const data = asObject(event);
  if (!data) return;
  if (api === 'messages') {
    if (data.type === 'message_start') {
      const message = asObject(data.message);
      takeModel(acc, message?.model);
      addAnthropicUsage(acc, message?.usage);
    } else if (data.type === 'message_delta') addAnthropicUsage(acc, data.usage);
  } else if (api === 'responses') {
    // completed, incomplete (max tokens) and failed answers were all billed for what they used.
    if (data.type === 'response.completed' || data.type === 'response.incomplete' || data.type === 'response.failed' || data.type === 'response.created') {
      const response = asObject(data.response);
      takeModel(acc, response?.model);
      if (data.type !== 'response.created') addOpenAiUsage(acc, response?.usage, 'responses');
    }
  } else if (api === 'chat') {
    takeModel(acc, data.model);
    if (asObject(data.usage)) addOpenAiUsage(acc, data.usage, 'chat');
  }
}

/** A whole (non-streamed) JSON answer. */
export function readJsonBody(api: GatewayApi, acc: UsageAccumulator, body: unknown): void {
  const data = asObject(body);
  if (!data) return;
  takeModel(acc, data.model);
  if (api === 'messages') addAnthropicUsage(acc, data.usage);
  else if (api === 'responses' || api === 'chat') addOpenAiUsage(acc, data.usage, api);
}

export function finishUsage(acc: UsageAccumulator, requestModel: string | null): CallUsage {
  const a = acc.anthropic;
  const o = acc.openai;
  const cacheRead = a.cacheRead ?? o.cached ?? 0;
  const cacheWrite = a.cacheWrite ?? 0;
  const anthropicInput = a.input !== undefined ? a.input + (a.cacheRead ?? 0) + cacheWrite : undefined;
  return {
    model: acc.model ?? requestModel,
    inputTokens: anthropicInput ?? o.input ?? 0,
    outputTokens: a.output ?? o.output ?? 0,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}
