import type { IncomingMessage } from 'node:http';

/**
 * Socket.IO handshakes from a browser must come from the dashboard's own origin: the session
 * cookie would otherwise let any page the person visits open sockets (and terminals) as them.
 * A request without an Origin header is not a cross-site browser request (scripts, the CLI, or a
 * same-origin GET) and is judged by its credentials alone. Behind the dashboard's proxy or Caddy,
 * the host the browser addressed arrives as X-Forwarded-Host.
 */
export function isAllowedSocketOrigin(req: IncomingMessage, allowedOrigins: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const addressed = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? req.headers.host;
  return originHost === addressed;
}
