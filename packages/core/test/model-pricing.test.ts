import { describe, expect, it } from 'vitest';
import { AGENTS, costOf, DEFAULT_MODEL_PRICE, MODEL_PRICES, priceOf } from '../src/index.ts';

describe('model pricing', () => {
  it('has a price for every model of the agent catalog', () => {
    const models = Object.values(AGENTS).flatMap((agent) => agent.models);
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) expect(MODEL_PRICES[model], model).toBeDefined();
  });

  it('prices input, output and cache reads per million tokens', () => {
    expect(costOf('claude-sonnet-4-5', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(3);
    expect(costOf('claude-sonnet-4-5', { inputTokens: 0, outputTokens: 1_000_000 })).toBe(15);
    // Cached tokens are part of the prompt and are charged at the cache price instead of the input price.
    expect(costOf('gpt-5', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 })).toBe(0.125);
    expect(costOf('claude-opus-4-1', { inputTokens: 2000, outputTokens: 1000, cacheReadTokens: 1000 })).toBe(0.0915);
  });

  it('matches dated model names to the longest catalog name', () => {
    expect(priceOf('claude-sonnet-4-5-20250929')).toBe(MODEL_PRICES['claude-sonnet-4-5']);
    expect(priceOf('gpt-5-mini-2025-08-07')).toBe(MODEL_PRICES['gpt-5-mini']);
    expect(priceOf('openai/gpt-5')).toBe(MODEL_PRICES['gpt-5']);
    expect(priceOf('gpt-50')).toBe(DEFAULT_MODEL_PRICE);
  });

  it('charges unknown models the documented default', () => {
    expect(priceOf('llama-3-70b')).toBe(DEFAULT_MODEL_PRICE);
    expect(priceOf(null)).toBe(DEFAULT_MODEL_PRICE);
    expect(costOf('llama-3-70b', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(DEFAULT_MODEL_PRICE.input + DEFAULT_MODEL_PRICE.output);
  });
});
