import { chunkText, outputTokens, type ModelApiFormat, type ReplyContext, type ScriptedReply, type SseEvent } from './script.ts';

/** OpenAI Chat Completions (what OpenCode and pi speak through OpenAI-compatible providers). */
function toolCallsOf(reply: ScriptedReply, context: ReplyContext) {
  return (reply.toolCalls ?? []).map((call, index) => ({
    id: `call_scripted_${context.seq}_${index}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.input) },
  }));
}

const finishReason = (reply: ScriptedReply): 'tool_calls' | 'stop' => (reply.toolCalls?.length ? 'tool_calls' : 'stop');

function usage(reply: ScriptedReply, context: ReplyContext) {
  const produced = outputTokens(reply);
  return { prompt_tokens: context.inputTokens, completion_tokens: produced, total_tokens: context.inputTokens + produced };
}

export const openAiChatFormat: ModelApiFormat & { events(reply: ScriptedReply, context: ReplyContext, includeUsage?: boolean): SseEvent[] } = {
  errorBody: (type, message) => ({ error: { message, type, param: null, code: type } }),

  json(reply, context) {
    const toolCalls = toolCallsOf(reply, context);
    return {
      id: `chatcmpl-scripted-${context.seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: context.model,
      choices: [{
        index: 0,
        message: { role: 'assistant', content: reply.text ?? null, ...(reply.thinking !== undefined ? { reasoning_content: reply.thinking } : {}), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: finishReason(reply),
      }],
      usage: usage(reply, context),
    };
  },

  events(reply, context, includeUsage = false) {
    const base = { id: `chatcmpl-scripted-${context.seq}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: context.model };
    const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null): SseEvent => ({ data: JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] }) });
    const events = [chunk({ role: 'assistant', content: '' })];
    for (const piece of reply.thinking !== undefined ? chunkText(reply.thinking) : []) events.push(chunk({ reasoning_content: piece }));
    for (const piece of reply.text !== undefined ? chunkText(reply.text) : []) events.push(chunk({ content: piece }));
    toolCallsOf(reply, context).forEach((call, index) => {
      events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      for (const piece of chunkText(call.function.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    events.push(chunk({}, finishReason(reply)));
    if (includeUsage) events.push({ data: JSON.stringify({ ...base, choices: [], usage: usage(reply, context) }) });
    events.push({ data: '[DONE]' });
    return events;
  },
};
