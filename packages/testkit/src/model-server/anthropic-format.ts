import { chunkText, outputTokens, type ModelApiFormat, type ReplyContext, type ScriptedReply, type SseEvent } from './script.ts';

/** Anthropic Messages API: https://docs.anthropic.com/en/api/messages-streaming */
type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(reply: ScriptedReply, context: ReplyContext): Block[] {
  const blocks: Block[] = [];
  if (reply.thinking !== undefined) blocks.push({ type: 'thinking', thinking: reply.thinking, signature: `sig_scripted_${context.seq}` });
  if (reply.text !== undefined) blocks.push({ type: 'text', text: reply.text });
  (reply.toolCalls ?? []).forEach((call, index) => blocks.push({ type: 'tool_use', id: `toolu_scripted_${context.seq}_${index}`, name: call.name, input: call.input }));
  if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
  return blocks;
}

function stopReason(reply: ScriptedReply): 'tool_use' | 'end_turn' {
  return reply.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function message(context: ReplyContext, content: Block[], reply: ScriptedReply | null) {
  return {
    id: `msg_scripted_${context.seq}`,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: reply ? stopReason(reply) : null,
    stop_sequence: null,
    usage: { input_tokens: context.inputTokens, output_tokens: reply ? outputTokens(reply) : 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function deltasOf(block: Block): Record<string, unknown>[] {
  if (block.type === 'thinking') {
    return [...chunkText(block.thinking).map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: block.signature }];
  }
  if (block.type === 'text') return chunkText(block.text).map((text) => ({ type: 'text_delta', text }));
  return chunkText(JSON.stringify(block.input)).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
}

function emptyStart(block: Block): Block {
  if (block.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (block.type === 'text') return { type: 'text', text: '' };
  return { ...block, input: {} };
}

const sse = (data: { type: string } & Record<string, unknown>): SseEvent => ({ event: data.type, data: JSON.stringify(data) });

export const anthropicFormat: ModelApiFormat = {
  errorBody: (type, message) => ({ type: 'error', error: { type, message } }),

  json: (reply, context) => message(context, blocksOf(reply, context), reply),

  events(reply, context) {
    const events = [sse({ type: 'message_start', message: message(context, [], null) }), sse({ type: 'ping' })];
    blocksOf(reply, context).forEach((block, index) => {
      events.push(sse({ type: 'content_block_start', index, content_block: emptyStart(block) }));
      for (const delta of deltasOf(block)) events.push(sse({ type: 'content_block_delta', index, delta }));
      events.push(sse({ type: 'content_block_stop', index }));
    });
    events.push(sse({ type: 'message_delta', delta: { stop_reason: stopReason(reply), stop_sequence: null }, usage: { output_tokens: outputTokens(reply) } }));
    events.push(sse({ type: 'message_stop' }));
    return events;
  },
};
