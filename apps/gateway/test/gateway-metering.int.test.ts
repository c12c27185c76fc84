import { describe, expect, it } from 'vitest';
import { costOf } from '@garrison/core';
import { waitFor } from '@garrison/testkit';
import { callGateway, useGatewayFixtureWithKeys } from './gateway-fixture.ts';

const fx = useGatewayFixtureWithKeys();

/** `data:` payloads of an SSE body, as a client reads them. */
function ssePayloads(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)));
}

/** What the provider told the client it used: the figure the gateway must meter. */
function reportedUsage(api: 'messages' | 'responses' | 'chat', stream: boolean, text: string): { input: number; output: number } {
  if (!stream) {
    const body = JSON.parse(text);
    if (api === 'messages') return { input: body.usage.input_tokens, output: body.usage.output_tokens };
    if (api === 'responses') return { input: body.usage.input_tokens, output: body.usage.output_tokens };
    return { input: body.usage.prompt_tokens, output: body.usage.completion_tokens };
  }
  const events = ssePayloads(text);
  if (api === 'messages') {
    const start = events.find((event) => event.type === 'message_start')!;
    const delta = events.find((event) => event.type === 'message_delta')!;
    return { input: start.message.usage.input_tokens, output: delta.usage.output_tokens };
  }
  if (api === 'responses') {
    const done = events.find((event) => event.type === 'response.completed')!;
    return { input: done.response.usage.input_tokens, output: done.response.usage.output_tokens };
  }
  const last = events.find((event) => event.usage)!;
  return { input: last.usage.prompt_tokens, output: last.usage.completion_tokens };
}

const CASES = [
  { api: 'messages', path: '/anthropic/v1/messages', model: 'claude-sonnet-4-5', body: { max_tokens: 256, messages: [{ role: 'user', content: 'count the stars in the sky, please' }] } },
  { api: 'responses', path: '/openai/v1/responses', model: 'gpt-5-codex', body: { input: [{ role: 'user', content: 'write a poem about gateways' }] } },
  { api: 'chat', path: '/openai/v1/chat/completions', model: 'gpt-5-mini', body: { messages: [{ role: 'user', content: 'what is a budget?' }] } },
] as const;

describe('gateway metering', () => {
  for (const { api, path, model, body } of CASES) {
    for (const stream of [false, true]) {
      it(`records the tokens the provider reported: ${api}, ${stream ? 'streaming' : 'not streaming'}`, async () => {
        const mission = await fx.mission();
        fx.upstream.script({ text: `An answer of some length for ${api}, long enough to count several tokens.`, thinking: 'pondering' });
        const response = await callGateway(fx, path, { token: mission.token, body: { model, ...body, ...(stream ? { stream: true } : {}) } });
        expect(response.status).toBe(200);
        const reported = reportedUsage(api, stream, await response.text());
        expect(reported.input).toBeGreaterThan(0);
        expect(reported.output).toBeGreaterThan(1);

        const call = await waitFor(() => fx.db.prisma.modelCall.findFirst({ where: { missionId: mission.id } }), { timeoutMs: 5000, what: 'the call to be recorded' });
        expect(call).toMatchObject({ provider: api === 'messages' ? 'anthropic' : 'openai', api, model, httpStatus: 200, inputTokens: reported.input, outputTokens: reported.output });
        const cost = costOf(model, { inputTokens: reported.input, outputTokens: reported.output });
        expect(Number(call.costUsd)).toBeCloseTo(cost, 6);
        const counters = await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } });
        expect(counters).toMatchObject({ modelCalls: 1, inputTokens: reported.input, outputTokens: reported.output });
        expect(Number(counters.costUsd)).toBeCloseTo(cost, 6);
      });
    }
  }

  it('asks for usage on a streamed chat request and otherwise leaves the body alone', async () => {
    const mission = await fx.mission();
    fx.upstream.script({ text: 'hello' });
    await (await callGateway(fx, '/openai/v1/chat/completions', { token: mission.token, body: { model: 'gpt-5', stream: true, stream_options: { other: 1 }, messages: [] } })).text();
    expect(fx.upstream.requests.at(-1)!.body).toEqual({ model: 'gpt-5', stream: true, stream_options: { other: 1, include_usage: true }, messages: [] });
  });

  it('streams an answer to the client as it is produced', async () => {
    const mission = await fx.mission();
    // About a dozen events 120 ms apart: the whole answer takes well over a second upstream.
    fx.upstream.script({ text: 'a streamed answer that arrives piece by piece', thinking: 'first a thought', chunkDelayMs: 120 });
    const sent = performance.now();
    const response = await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'go' }] } });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const arrivals: { at: number; text: string }[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push({ at: performance.now() - sent, text: decoder.decode(value, { stream: true }) });
    }
    const finished = performance.now() - sent;
    expect(finished).toBeGreaterThan(1000);
    expect(arrivals[0]!.text).toContain('message_start');
    // The first event left the provider at once; it must reach the client long before the last.
    expect(arrivals[0]!.at).toBeLessThan(finished - 800);
    expect(arrivals.length).toBeGreaterThan(5);
  });

  it('records count_tokens and model listings without counting them as turns', async () => {
    const mission = await fx.mission();
    const counted = await callGateway(fx, '/anthropic/v1/messages/count_tokens', { token: mission.token, body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] } });
    expect(counted.status).toBe(200);
    expect(await counted.json()).toEqual({ input_tokens: expect.any(Number) });
    expect((await callGateway(fx, '/openai/v1/models', { token: mission.token })).status).toBe(200);
    const calls = await waitFor(async () => {
      const rows = await fx.db.prisma.modelCall.findMany({ where: { missionId: mission.id }, orderBy: { id: 'asc' } });
      return rows.length === 2 ? rows : null;
    }, { timeoutMs: 5000, what: 'both calls to be recorded' });
    expect(calls.map((call) => [call.api, call.httpStatus, Number(call.costUsd)])).toEqual([['count_tokens', 200, 0], ['models', 200, 0]]);
    expect((await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } })).modelCalls).toBe(0);
  });

  it('records a provider error without counting a turn', async () => {
    const mission = await fx.mission();
    fx.upstream.script({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } });
    const response = await callGateway(fx, '/anthropic/v1/messages', { token: mission.token, body: { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [] } });
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const call = await waitFor(() => fx.db.prisma.modelCall.findFirst({ where: { missionId: mission.id } }), { timeoutMs: 5000 });
    expect(call.httpStatus).toBe(529);
    expect((await fx.db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } })).modelCalls).toBe(0);
  });
});
