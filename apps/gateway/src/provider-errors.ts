import type { ServerResponse } from 'node:http';
import type { ModelProvider } from '@garrison/core';

/**
 * Errors the gateway itself answers, in the provider's own JSON shape: agent CLIs show a
 * provider's error message to the person, and that message is how they learn the mission ended,
 * the team has no key, or the budget is spent.
 */
export type GatewayFailure = 'unauthenticated' | 'provider_not_configured' | 'budget_exceeded' | 'upstream_unreachable' | 'not_found' | 'payload_too_large';

const STATUS: Record<GatewayFailure, number> = {
  unauthenticated: 401,
  provider_not_configured: 409,
  budget_exceeded: 429,
  upstream_unreachable: 502,
  not_found: 404,
  payload_too_large: 413,
};

/** Anthropic's own error types where one fits; ours where the meaning is Garrison's. */
const ANTHROPIC_TYPE: Record<GatewayFailure, string> = {
  unauthenticated: 'authentication_error',
  provider_not_configured: 'provider_not_configured',
  budget_exceeded: 'budget_exceeded',
  upstream_unreachable: 'api_error',
  not_found: 'not_found_error',
  payload_too_large: 'request_too_large',
};

const OPENAI_TYPE: Record<GatewayFailure, { type: string; code: string }> = {
  unauthenticated: { type: 'invalid_request_error', code: 'invalid_api_key' },
  provider_not_configured: { type: 'provider_not_configured', code: 'provider_not_configured' },
  budget_exceeded: { type: 'budget_exceeded', code: 'budget_exceeded' },
  upstream_unreachable: { type: 'server_error', code: 'upstream_unreachable' },
  not_found: { type: 'invalid_request_error', code: 'not_found' },
  payload_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
};

export function gatewayErrorBody(provider: ModelProvider, failure: GatewayFailure, message: string): unknown {
  if (provider === 'anthropic') return { type: 'error', error: { type: ANTHROPIC_TYPE[failure], message } };
  return { error: { message, type: OPENAI_TYPE[failure].type, param: null, code: OPENAI_TYPE[failure].code } };
}

export function sendGatewayError(res: ServerResponse, provider: ModelProvider, failure: GatewayFailure, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(gatewayErrorBody(provider, failure, message));
  res.writeHead(STATUS[failure], {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // The Anthropic and OpenAI SDKs retry 409 and 429 by default; only an unreachable upstream is worth it.
    'x-should-retry': failure === 'upstream_unreachable' ? 'true' : 'false',
  });
  res.end(body);
}
