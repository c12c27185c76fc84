import { describe, expect, it } from 'vitest';
import { budgetRefusal, isOverBudget } from '../src/budget.ts';
import { upstreamHeaders } from '../src/forward-headers.ts';
import { inspectRequest } from '../src/request-body.ts';
import { matchRoute, upstreamUrl } from '../src/routes.ts';

describe('gateway routes', () => {
  it('maps each provider path to its upstream path by that provider convention', () => {
    const anthropic = matchRoute('POST', '/anthropic/v1/messages')!;
    expect(upstreamUrl('https://api.anthropic.com/', anthropic, '?beta=true')).toBe('https://api.anthropic.com/v1/messages?beta=true');
    expect(upstreamUrl('https://api.openai.com/v1', matchRoute('POST', '/openai/v1/responses')!, '')).toBe('https://api.openai.com/v1/responses');
    expect(upstreamUrl('http://llm.local:8000/v1/', matchRoute('POST', '/openai/v1/chat/completions/')!, '')).toBe('http://llm.local:8000/v1/chat/completions');
    expect(matchRoute('POST', '/anthropic/v1/messages/count_tokens')).toMatchObject({ api: 'count_tokens' });
    expect(matchRoute('GET', '/openai/v1/models/gpt-5')).toMatchObject({ api: 'models', upstreamPath: '/models/gpt-5' });
    expect(matchRoute('GET', '/anthropic/v1/models')).toMatchObject({ api: 'models', upstreamPath: '/v1/models' });
    expect(matchRoute('GET', '/anthropic/v1/messages')).toBeNull();
    expect(matchRoute('POST', '/openai/v1/models')).toBeNull();
    expect(matchRoute('POST', '/anthropic/v1/../../admin')).toBeNull();
  });
});

describe('forwarded headers', () => {
  it('replaces every auth header with the team key and drops per-connection headers', () => {
    const incoming = {
      host: 'gateway:8790',
      'x-api-key': 'gwt_mission',
      authorization: 'Bearer gwt_mission',
      cookie: 'a=b',
      connection: 'keep-alive',
      'content-length': '10',
      'accept-encoding': 'gzip, br',
      'anthropic-beta': 'a,b',
      'user-agent': 'claude-cli/2.1',
    };
    expect(upstreamHeaders(incoming, 'anthropic', 'sk-team', 42)).toEqual({
      'x-api-key': 'sk-team',
      'anthropic-beta': 'a,b',
      'user-agent': 'claude-cli/2.1',
      'accept-encoding': 'identity',
      'content-length': 42,
    });
    expect(upstreamHeaders(incoming, 'openai', 'sk-team', 1)).toMatchObject({ authorization: 'Bearer sk-team' });
    expect(upstreamHeaders(incoming, 'openai', 'sk-team', 1)['x-api-key']).toBeUndefined();
  });
});

describe('request inspection', () => {
  it('keeps the bytes, except that a streamed chat request asks for usage', () => {
    const raw = Buffer.from('{"model":"m",  "stream":true}');
    expect(inspectRequest('messages', raw)).toEqual({ model: 'm', body: raw });
    expect(JSON.parse(inspectRequest('chat', raw).body.toString())).toEqual({ model: 'm', stream: true, stream_options: { include_usage: true } });
    const asked = Buffer.from('{"stream":true,"stream_options":{"include_usage":true}}');
    expect(inspectRequest('chat', asked).body).toBe(asked);
    expect(inspectRequest('chat', Buffer.from('not json')).model).toBeNull();
  });
});

describe('budget', () => {
  const mission = (modelCalls: number, costUsd: number, limits: { maxTurns?: number; maxCostUsd?: number }) => ({ limits, modelCalls, costUsd, inputTokens: 0, outputTokens: 0 });

  it('refuses once turns or money are used up', () => {
    expect(budgetRefusal(mission(0, 0, {}))).toBeNull();
    expect(budgetRefusal(mission(1, 0, { maxTurns: 2 }))).toBeNull();
    expect(budgetRefusal(mission(2, 0, { maxTurns: 2 }))).toMatch(/used its 2 model turns/);
    expect(budgetRefusal(mission(0, 0.5, { maxCostUsd: 0.5 }))).toMatch(/spent \$0\.5000 of its \$0\.5/);
  });

  it('stops at once only past a limit: reaching maxTurns exactly leaves the agent to finish', () => {
    expect(isOverBudget(mission(2, 0, { maxTurns: 2 }))).toBe(false);
    expect(isOverBudget(mission(3, 0, { maxTurns: 2 }))).toBe(true);
    expect(isOverBudget(mission(1, 0.51, { maxCostUsd: 0.5 }))).toBe(true);
    expect(isOverBudget(mission(100, 100, {}))).toBe(false);
  });
});
