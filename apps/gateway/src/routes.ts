import type { ModelProvider } from '@garrison/core';

/** The wire APIs the gateway forwards; ModelCall.api records which one a call used. */
export type GatewayApi = 'messages' | 'count_tokens' | 'models' | 'responses' | 'chat';

export interface GatewayRoute {
  provider: ModelProvider;
  api: GatewayApi;
  /** Appended to the base URL: Anthropic bases have no /v1, OpenAI bases end in /v1. */
  upstreamPath: string;
}

/** Model turns count towards a mission's maxTurns; token counts and model listings do not. */
export function isTurn(api: GatewayApi): boolean {
  return api === 'messages' || api === 'responses' || api === 'chat';
}

const POST_ROUTES: Record<string, GatewayRoute> = {
  '/anthropic/v1/messages': { provider: 'anthropic', api: 'messages', upstreamPath: '/v1/messages' },
  '/anthropic/v1/messages/count_tokens': { provider: 'anthropic', api: 'count_tokens', upstreamPath: '/v1/messages/count_tokens' },
  '/openai/v1/responses': { provider: 'openai', api: 'responses', upstreamPath: '/responses' },
  '/openai/v1/chat/completions': { provider: 'openai', api: 'chat', upstreamPath: '/chat/completions' },
};

/** `GET …/models` and `GET …/models/<id>`: clients list or look up models before a run. */
const MODEL_LISTING = /^\/(anthropic|openai)\/v1\/models(\/[\w.:@-]+)?$/;

export function matchRoute(method: string | undefined, pathname: string): GatewayRoute | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (method === 'POST') return POST_ROUTES[path] ?? null;
  const listing = method === 'GET' ? MODEL_LISTING.exec(path) : null;
  if (!listing) return null;
  const provider = listing[1] as ModelProvider;
  const suffix = listing[2] ?? '';
  return { provider, api: 'models', upstreamPath: provider === 'anthropic' ? `/v1/models${suffix}` : `/models${suffix}` };
}

/** Which provider's error shape a request gets when no route matched. */
export function providerOfPath(pathname: string): ModelProvider {
  return pathname.startsWith('/anthropic/') ? 'anthropic' : 'openai';
}

export function upstreamUrl(base: string, route: GatewayRoute, search: string): string {
  return `${base.replace(/\/+$/, '')}${route.upstreamPath}${search}`;
}
