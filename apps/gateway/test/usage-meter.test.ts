import { describe, expect, it } from 'vitest';
import { createUsageMeter } from '../src/usage-meter.ts';

function meterOf(api: Parameters<typeof createUsageMeter>[0], streaming: boolean, pieces: string[], requestModel: string | null = 'asked-model') {
  const meter = createUsageMeter(api, { streaming, requestModel });
  for (const piece of pieces) meter.push(Buffer.from(piece, 'utf8'));
  return meter.finish();
}

describe('usage meter', () => {
  const anthropicStream = [
    'event: message_start\r\n',
    `data: {"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":12,"cache_read_input_tokens":100,"cache_creation_input_tokens":30,"output_tokens":1}}}\r\n\r\n`,
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"h\u00e9llo \u{1F600}"}}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":57}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join('');

  it('reads Anthropic usage from message_start and message_delta, adding cached prompt tokens', () => {
    expect(meterOf('messages', true, [anthropicStream])).toEqual({ model: 'claude-sonnet-4-5-20250929', inputTokens: 142, outputTokens: 57, cacheReadTokens: 100, cacheWriteTokens: 30 });
  });

  it('reads the same from a stream cut at every byte boundary', () => {
    const bytes = Buffer.from(anthropicStream, 'utf8');
    for (const size of [1, 7, 64]) {
      const meter = createUsageMeter('messages', { streaming: true, requestModel: null });
      for (let at = 0; at < bytes.length; at += size) meter.push(bytes.subarray(at, at + size));
      expect(meter.finish().outputTokens).toBe(57);
    }
  });

  it('reads Responses usage from response.completed, cached tokens included in the input', () => {
    const stream = [
      'event: response.created\ndata: {"type":"response.created","response":{"model":"gpt-5-codex","usage":null}}\n\n',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"x"}\n\n',
      'event: response.completed\ndata: {"type":"response.completed","response":{"model":"gpt-5-codex","usage":{"input_tokens":900,"input_tokens_details":{"cached_tokens":800},"output_tokens":40}}}\n\n',
    ];
    expect(meterOf('responses', true, stream)).toEqual({ model: 'gpt-5-codex', inputTokens: 900, outputTokens: 40, cacheReadTokens: 800, cacheWriteTokens: 0 });
  });

  it('reads Chat usage from the usage-only chunk and skips [DONE]', () => {
    const stream = [
      'data: {"model":"gpt-5-mini","choices":[{"delta":{"content":"hi"}}]}\n\n',
      'data: {"model":"gpt-5-mini","choices":[],"usage":{"prompt_tokens":33,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":0}}}\n\n',
      'data: [DONE]\n\n',
    ];
    expect(meterOf('chat', true, stream)).toEqual({ model: 'gpt-5-mini', inputTokens: 33, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it('reads usage from whole JSON answers', () => {
    expect(meterOf('messages', false, ['{"model":"claude-haiku-4-5","usage":{"input_tokens":3,', '"output_tokens":9}}'])).toMatchObject({ model: 'claude-haiku-4-5', inputTokens: 3, outputTokens: 9 });
    expect(meterOf('responses', false, ['{"model":"gpt-5","usage":{"input_tokens":4,"output_tokens":2}}'])).toMatchObject({ inputTokens: 4, outputTokens: 2 });
    expect(meterOf('chat', false, ['{"usage":{"prompt_tokens":6,"completion_tokens":1}}'])).toMatchObject({ model: 'asked-model', inputTokens: 6, outputTokens: 1 });
  });

  it('meters nothing, and never throws, on data it cannot read', () => {
    expect(meterOf('messages', true, ['data: {not json\n\n', 'data: [1,2]\n\n', ': comment\n\n'])).toEqual({ model: 'asked-model', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(meterOf('chat', false, ['{"error":'])).toMatchObject({ inputTokens: 0, outputTokens: 0 });
    expect(meterOf('models', false, ['{"data":[]}'])).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });
});
