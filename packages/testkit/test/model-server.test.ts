import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer } from '../src/index.ts';

let server: ScriptedModelServer;

beforeEach(async () => {
  server = await startScriptedModelServer();
});

afterEach(async () => {
  await server.close();
});

interface Sse {
  event?: string;
  data: string;
}

/** Splits an SSE body into events; bare `data:` lines (Chat Completions) have no event name. */
function parseSse(body: string): Sse[] {
  return body.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
    return event ? { event, data } : { data };
  });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function postSse(path: string, body: Record<string, unknown>): Promise<{ status: number; contentType: string | null; events: Sse[] }> {
  const response = await post(path, { ...body, stream: true });
  return { status: response.status, contentType: response.headers.get('content-type'), events: parseSse(await response.text()) };
}

const anthropicRequest = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
const chatRequest = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };
const responsesRequest = { model: 'gpt-test', input: 'hi' };

describe('Anthropic Messages API', () => {
  it('streams text as the exact Messages event sequence', async () => {
    server.script({ text: 'hello from the script' });
    const { status, contentType, events } = await postSse('/v1/messages?beta=true', anthropicRequest);
    expect(status).toBe(200);
    expect(contentType).toBe('text/event-stream');
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(names.filter((n) => n === 'content_block_start')).toHaveLength(1);
    const payloads = events.map((e) => JSON.parse(e.data));
    payloads.forEach((payload, i) => expect(payload.type).toBe(names[i]));
    expect(payloads[0].message).toMatchObject({ role: 'assistant', model: 'claude-test', content: [], stop_reason: null });
    const text = payloads.filter((p) => p.type === 'content_block_delta').map((p) => p.delta.text).join('');
    expect(text).toBe('hello from the script');
    expect(payloads.filter((p) => p.type === 'content_block_delta').length).toBeGreaterThan(1);
    expect(payloads.at(-2)).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: expect.any(Number) } });
  });

  it('streams thinking, text and tool_use blocks with their deltas', async () => {
    server.script({ thinking: 'let me think', text: 'calling a tool', toolCalls: [{ name: 'read_file', input: { path: '/etc/hostname' } }] });
    const payloads = (await postSse('/v1/messages', anthropicRequest)).events.map((e) => JSON.parse(e.data));
    const starts = payloads.filter((p) => p.type === 'content_block_start');
    expect(starts.map((s) => s.content_block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(starts[2].content_block).toMatchObject({ name: 'read_file', input: {}, id: expect.stringMatching(/^toolu_/) });
    const deltasOf = (index: number) => payloads.filter((p) => p.type === 'content_block_delta' && p.index === index).map((p) => p.delta);
    expect(deltasOf(0).filter((d) => d.type === 'thinking_delta').map((d) => d.thinking).join('')).toBe('let me think');
    expect(deltasOf(0).at(-1)).toMatchObject({ type: 'signature_delta' });
    expect(JSON.parse(deltasOf(2).map((d) => { expect(d.type).toBe('input_json_delta'); return d.partial_json; }).join(''))).toEqual({ path: '/etc/hostname' });
    expect(payloads.filter((p) => p.type === 'content_block_stop').map((p) => p.index)).toEqual([0, 1, 2]);
    expect(payloads.find((p) => p.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });

  it('answers stream:false with one message and usage', async () => {
    server.script({ text: 'plain' }, { toolCalls: [{ name: 'ls', input: { dir: '.' } }] });
    const first = await (await post('/v1/messages', anthropicRequest)).json();
    expect(first).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'plain' }], stop_reason: 'end_turn' });
    expect(first.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    const second = await (await post('/v1/messages', anthropicRequest)).json();
    expect(second.content).toEqual([{ type: 'tool_use', id: expect.any(String), name: 'ls', input: { dir: '.' } }]);
    expect(second.stop_reason).toBe('tool_use');
  });

  it('counts tokens and lists models without consuming turns', async () => {
    server.script({ text: 'kept' });
    expect(await (await post('/v1/messages/count_tokens', anthropicRequest)).json()).toEqual({ input_tokens: expect.any(Number) });
    const models = await (await fetch(`${server.url}/v1/models`)).json();
    expect(models.data.length).toBeGreaterThan(0);
    expect(models.data[0]).toMatchObject({ type: 'model', object: 'model', id: expect.any(String) });
    expect(server.remaining()).toBe(1);
  });

  it('answers a scripted error as the Anthropic error JSON with its status', async () => {
    server.script({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } });
    const response = await post('/v1/messages', { ...anthropicRequest, stream: true });
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });
});

describe('OpenAI Responses API', () => {
  it('streams a message item with output_text deltas and a completed response with usage', async () => {
    server.script({ text: 'hello codex' });
    const { events } = await postSse('/v1/responses', responsesRequest);
    const payloads = events.map((e) => JSON.parse(e.data));
    payloads.forEach((p, i) => {
      expect(p.type).toBe(events[i]?.event);
      expect(p.sequence_number).toBe(i);
    });
    expect(payloads.map((p) => p.type)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...payloads.filter((p) => p.type === 'response.output_text.delta').map(() => 'response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(payloads.filter((p) => p.type === 'response.output_text.delta').map((p) => p.delta).join('')).toBe('hello codex');
    const completed = payloads.at(-1).response;
    expect(completed).toMatchObject({ status: 'completed', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello codex' }] }] });
    expect(completed.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) });
  });

  it('streams function_call items with argument deltas, and reasoning summaries', async () => {
    server.script({ thinking: 'hmm', toolCalls: [{ name: 'shell', input: { command: ['ls'] } }] });
    const payloads = (await postSse('/v1/responses', responsesRequest)).events.map((e) => JSON.parse(e.data));
    const added = payloads.filter((p) => p.type === 'response.output_item.added').map((p) => p.item);
    expect(added.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(added[1]).toMatchObject({ name: 'shell', arguments: '', call_id: expect.stringMatching(/^call_/) });
    expect(payloads.filter((p) => p.type === 'response.reasoning_summary_text.delta').map((p) => p.delta).join('')).toBe('hmm');
    const args = payloads.filter((p) => p.type === 'response.function_call_arguments.delta').map((p) => p.delta).join('');
    expect(JSON.parse(args)).toEqual({ command: ['ls'] });
    expect(payloads.find((p) => p.type === 'response.function_call_arguments.done').arguments).toBe(args);
    expect(payloads.at(-1).response.output[1]).toMatchObject({ type: 'function_call', arguments: args, status: 'completed' });
  });

  it('names the namespace of a namespaced tool on its function_call, as Codex needs for MCP tools', async () => {
    server.script({ toolCalls: [{ name: 'write_file', namespace: 'mcp__garrison', input: { path: 'a.txt' } }, { name: 'shell', input: {} }] });
    const payloads = (await postSse('/v1/responses', responsesRequest)).events.map((e) => JSON.parse(e.data));
    const [namespaced, plain] = payloads.at(-1).response.output;
    expect(namespaced).toMatchObject({ type: 'function_call', name: 'write_file', namespace: 'mcp__garrison' });
    expect(plain).not.toHaveProperty('namespace');
  });

  it('answers stream:false with a completed response, and errors as OpenAI error JSON', async () => {
    server.script({ text: 'plain' }, { error: { status: 429, type: 'rate_limit_exceeded', message: 'slow down' } });
    expect(await (await post('/v1/responses', responsesRequest)).json()).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message' }] });
    const failed = await post('/v1/responses', responsesRequest);
    expect(failed.status).toBe(429);
    expect((await failed.json()).error).toMatchObject({ type: 'rate_limit_exceeded', message: 'slow down' });
  });
});

describe('OpenAI Chat Completions', () => {
  it('streams content chunks, a finish chunk, a usage chunk when asked, then [DONE]', async () => {
    server.script({ text: 'hi there' });
    const { events } = await postSse('/v1/chat/completions', { ...chatRequest, stream_options: { include_usage: true } });
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('hi there');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
  });

  it('streams tool calls by index and leaves out usage unless asked', async () => {
    server.script({ toolCalls: [{ name: 'a', input: { x: 1 } }, { name: 'b', input: { y: 'two' } }] });
    const chunks = (await postSse('/v1/chat/completions', chatRequest)).events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.some((c) => c.usage)).toBe(false);
    const calls: { id?: string; name?: string; args: string }[] = [];
    for (const chunk of chunks) {
      for (const call of chunk.choices[0].delta.tool_calls ?? []) {
        calls[call.index] ??= { args: '' };
        const slot = calls[call.index]!;
        if (call.id) Object.assign(slot, { id: call.id, name: call.function.name });
        slot.args += call.function.arguments;
      }
    }
    expect(calls.map((c) => [c.name, JSON.parse(c.args)])).toEqual([['a', { x: 1 }], ['b', { y: 'two' }]]);
    expect(calls.every((c) => c.id?.startsWith('call_'))).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('answers stream:false with one chat.completion', async () => {
    server.script({ text: 'done', thinking: 'brief' });
    const body = await (await post('/v1/chat/completions', chatRequest)).json();
    expect(body).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'done', reasoning_content: 'brief' }, finish_reason: 'stop' }] });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });
});

describe('the script', () => {
  it('fails loudly with a 500 that says the script ran out, and tells SDKs not to retry', async () => {
    for (const [path, request] of [['/v1/messages', anthropicRequest], ['/v1/responses', responsesRequest], ['/v1/chat/completions', chatRequest]] as const) {
      const response = await post(path, request);
      expect(response.status).toBe(500);
      expect(response.headers.get('x-should-retry')).toBe('false');
      expect(JSON.stringify(await response.json())).toMatch(/script ran out of turns/);
    }
  });

  it('sends a broken SSE line and closes for a malformed turn', async () => {
    server.script({ malformed: true }, { malformed: true });
    const response = await post('/v1/messages', { ...anthropicRequest, stream: true });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events).toHaveLength(1);
    expect(() => JSON.parse(events[0]!.data)).toThrow();
    const plain = await post('/v1/chat/completions', chatRequest);
    await expect(plain.json()).rejects.toThrow();
  });

  it('paces a slow stream: delayMs before the first byte, chunkDelayMs between events', async () => {
    server.script({ text: 'slowly now', delayMs: 150, chunkDelayMs: 20 });
    const started = Date.now();
    const { events } = await postSse('/v1/messages', anthropicRequest);
    // message_start, ping, block start, three text deltas, block stop, message_delta, message_stop.
    expect(events).toHaveLength(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150 + 8 * 20 - 10);
  });

  it('consumes turns in order across APIs and answers auxiliary calls without a turn', async () => {
    await server.close();
    server = await startScriptedModelServer({ auxiliary: (request) => ((request.body as { max_tokens?: number }).max_tokens === 1 ? { text: 'aux' } : undefined) });
    server.script([{ text: 'one' }, { text: 'two' }]);
    expect((await (await post('/v1/messages', { ...anthropicRequest, max_tokens: 1 })).json()).content[0].text).toBe('aux');
    expect((await (await post('/v1/chat/completions', chatRequest)).json()).choices[0].message.content).toBe('one');
    expect((await (await post('/v1/messages', anthropicRequest)).json()).content[0].text).toBe('two');
    expect(server.remaining()).toBe(0);
  });

  it('records path, query, headers without credentials, and the parsed body', async () => {
    server.script({ text: 'x' });
    await post('/v1/messages?beta=true', anthropicRequest, { 'x-api-key': 'secret-key', authorization: 'Bearer secret', 'anthropic-beta': 'some-beta' });
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/messages', query: '?beta=true', body: anthropicRequest });
    expect(recorded?.headers['anthropic-beta']).toBe('some-beta');
    expect(recorded?.headers['x-api-key']).toBeUndefined();
    expect(recorded?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(server.requests)).not.toContain('secret');
  });

  it('answers unknown routes with a 404 that names the route', async () => {
    const response = await fetch(`${server.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain('GET /v2/nothing');
  });
});
