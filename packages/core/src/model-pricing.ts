/**
 * What a model call costs, in USD, from the tokens the provider reported. The gateway meters every
 * call with this and enforces `maxCostUsd` against the sum, so a figure is only as good as this
 * table: list prices per million tokens, as the providers published them for these models.
 */
export interface ModelPrice {
  /** USD per million prompt tokens that were neither read from nor written to a cache. */
  input: number;
  output: number;
  /** USD per million prompt tokens served from the provider's prompt cache. */
  cacheRead: number;
  /** USD per million prompt tokens written to the cache (Anthropic bills them above input). */
  cacheWrite: number;
}

/** Tokens of one call. `inputTokens` is the whole prompt, cached parts included. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

const anthropic = (input: number, output: number): ModelPrice => ({ input, output, cacheRead: input / 10, cacheWrite: input * 1.25 });
const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({ input, output, cacheRead, cacheWrite: input });

/** Every model of the AGENTS catalog (packages/core/src/agent-catalog.ts) has a row. */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-1': anthropic(15, 75),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'gpt-5-codex': openai(1.25, 10, 0.125),
  'gpt-5': openai(1.25, 10, 0.125),
  // Later GPT-5 releases the Codex CLI defaults to; charged at GPT-5's list price until this table
  // is checked against OpenAI's price page for them.
  'gpt-5.2-codex': openai(1.25, 10, 0.125),
  'gpt-5.3-codex': openai(1.25, 10, 0.125),
  'gpt-5.5': openai(1.25, 10, 0.125),
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-4.1': openai(2, 8, 0.5),
};

/**
 * Models we have no price for (a compatible endpoint's own model, a new release) are charged like
 * a mid-range model (Claude Sonnet's prices): a budget should rather stop a little early than let
 * an unknown model spend without any count.
 */
export const DEFAULT_MODEL_PRICE: ModelPrice = anthropic(3, 15);

/**
 * Providers answer with dated names (`claude-sonnet-4-5-20250929`, `gpt-5-mini-2025-08-07`): the
 * longest catalog name the model starts with wins, so `gpt-5-mini-…` is not priced as `gpt-5`.
 */
export function priceOf(model: string | null | undefined): ModelPrice {
  if (!model) return DEFAULT_MODEL_PRICE;
  const name = model.toLowerCase().replace(/^.*\//, '');
  const match = Object.keys(MODEL_PRICES)
    .filter((known) => name === known || name.startsWith(`${known}-`) || name.startsWith(`${known}@`))
    .sort((a, b) => b.length - a.length)[0];
  return match ? MODEL_PRICES[match]! : DEFAULT_MODEL_PRICE;
}

/** USD for one call, rounded to the micro-dollar the database keeps. */
export function costOf(model: string | null | undefined, usage: TokenUsage): number {
  const price = priceOf(model);
  const cacheRead = Math.max(0, usage.cacheReadTokens ?? 0);
  const cacheWrite = Math.max(0, usage.cacheWriteTokens ?? 0);
  const fresh = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const micros = fresh * price.input + cacheRead * price.cacheRead + cacheWrite * price.cacheWrite + Math.max(0, usage.outputTokens) * price.output;
  return Math.round(micros) / 1_000_000;
}
