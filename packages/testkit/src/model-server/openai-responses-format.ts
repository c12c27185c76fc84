import { chunkText, outputTokens, type ModelApiFormat, type ReplyContext, type ScriptedReply, type SseEvent } from './script.ts';

/** OpenAI Responses API (what Codex speaks): https://platform.openai.com/docs/api-reference/responses-streaming */
type Item =
  | { type: 'reasoning'; id: string; summary: { type: 'summary_text'; text: string }[] }
  | { type: 'message'; id: string; status: string; role: 'assistant'; content: { type: 'output_text'; text: string; annotations: [] }[] }
  | { type: 'function_call'; id: string; call_id: string; name: string; namespace?: string; arguments: string; status: string };

function itemsOf(reply: ScriptedReply, context: ReplyContext): Item[] {
  const items: Item[] = [];
  if (reply.thinking !== undefined) items.push({ type: 'reasoning', id: `rs_scripted_${context.seq}`, summary: [{ type: 'summary_text', text: reply.thinking }] });
  if (reply.text !== undefined || !reply.toolCalls?.length) {
    items.push({ type: 'message', id: `msg_scripted_${context.seq}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: reply.text ?? '', annotations: [] }] });
  }
  (reply.toolCalls ?? []).forEach((call, index) => items.push({
    type: 'function_call', id: `fc_scripted_${context.seq}_${index}`, call_id: `call_scripted_${context.seq}_${index}`, name: call.name, ...(call.namespace ? { namespace: call.namespace } : {}), arguments: JSON.stringify(call.input), status: 'completed',
  }));
  return items;
}

function response(context: ReplyContext, reply: ScriptedReply, output: Item[], status: 'in_progress' | 'completed') {
  const completed = status === 'completed';
  const produced = outputTokens(reply);
  return {
    id: `resp_scripted_${context.seq}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: context.model,
    output,
    error: null,
    incomplete_details: null,
    usage: completed
      ? { input_tokens: context.inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: produced, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: context.inputTokens + produced }
      : null,
  };
}

/** The item as first announced: nothing streamed into it yet. */
function openedItem(item: Item): Item {
  if (item.type === 'reasoning') return { ...item, summary: [] };
  if (item.type === 'message') return { ...item, status: 'in_progress', content: [] };
  return { ...item, arguments: '', status: 'in_progress' };
}

function itemEvents(item: Item, output_index: number, emit: (data: Record<string, unknown> & { type: string }) => void): void {
  const item_id = item.id;
  emit({ type: 'response.output_item.added', output_index, item: openedItem(item) });
  if (item.type === 'reasoning') {
    const text = item.summary[0]?.text ?? '';
    const part = { type: 'summary_text', text };
    emit({ type: 'response.reasoning_summary_part.added', item_id, output_index, summary_index: 0, part: { ...part, text: '' } });
    for (const delta of chunkText(text)) emit({ type: 'response.reasoning_summary_text.delta', item_id, output_index, summary_index: 0, delta });
    emit({ type: 'response.reasoning_summary_text.done', item_id, output_index, summary_index: 0, text });
    emit({ type: 'response.reasoning_summary_part.done', item_id, output_index, summary_index: 0, part });
  } else if (item.type === 'message') {
    const text = item.content[0]?.text ?? '';
    const part = { type: 'output_text', text, annotations: [] };
    emit({ type: 'response.content_part.added', item_id, output_index, content_index: 0, part: { ...part, text: '' } });
    for (const delta of chunkText(text)) emit({ type: 'response.output_text.delta', item_id, output_index, content_index: 0, delta });
    emit({ type: 'response.output_text.done', item_id, output_index, content_index: 0, text });
    emit({ type: 'response.content_part.done', item_id, output_index, content_index: 0, part });
  } else {
    for (const delta of chunkText(item.arguments)) emit({ type: 'response.function_call_arguments.delta', item_id, output_index, delta });
    emit({ type: 'response.function_call_arguments.done', item_id, output_index, arguments: item.arguments });
  }
  emit({ type: 'response.output_item.done', output_index, item });
}

export const openAiResponsesFormat: ModelApiFormat = {
  errorBody: (type, message) => ({ error: { message, type, param: null, code: type } }),

  json: (reply, context) => response(context, reply, itemsOf(reply, context), 'completed'),

  events(reply, context) {
    const events: SseEvent[] = [];
    const emit = (data: Record<string, unknown> & { type: string }): void => {
      events.push({ event: data.type, data: JSON.stringify({ ...data, sequence_number: events.length }) });
    };
    emit({ type: 'response.created', response: response(context, reply, [], 'in_progress') });
    emit({ type: 'response.in_progress', response: response(context, reply, [], 'in_progress') });
    const items = itemsOf(reply, context);
    items.forEach((item, index) => itemEvents(item, index, emit));
    emit({ type: 'response.completed', response: response(context, reply, items, 'completed') });
    return events;
  },
};
