import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ModelProvider } from '@garrison/core';

/** RFC 9110 hop-by-hop headers: they describe one connection, never the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Never forwarded upstream: the mission token in any auth header (the team's key replaces it),
 * ambient credentials, and headers the gateway sets itself.
 */
const DROPPED_UPSTREAM = new Set([...HOP_BY_HOP, 'host', 'content-length', 'authorization', 'x-api-key', 'proxy-authorization', 'cookie', 'accept-encoding']);

/**
 * The client's headers as the provider must see them: every `anthropic-beta`, `anthropic-version`,
 * `openai-beta`, user agent and SDK header passes; only auth and per-connection headers change.
 * `accept-encoding: identity` keeps the answer uncompressed, so the meter can read it; the bytes
 * the client receives are still exactly the provider's.
 */
export function upstreamHeaders(incoming: IncomingHttpHeaders, provider: ModelProvider, apiKey: string, bodyLength: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || DROPPED_UPSTREAM.has(name) || name.startsWith('proxy-')) continue;
    headers[name] = value;
  }
  headers['accept-encoding'] = 'identity';
  headers['content-length'] = bodyLength;
  if (provider === 'anthropic') headers['x-api-key'] = apiKey;
  else headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

/** The provider's answer headers, less those that describe the gateway's upstream connection. */
export function clientHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
