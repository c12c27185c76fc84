import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Invite links carry their secret in the path (`/invites/gi_…`): anyone who can read the logs
 * could join the team with it. Every logged path goes through here; query strings are dropped.
 */
export function redactPath(path: string): string {
  return path.split('?')[0]!.replace(/\/invites\/gi_[^/]*/g, '/invites/[redacted]');
}

/** One line per request, carrying the request id the response also names (x-request-id). */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const entry = {
        requestId: req.requestId,
        method: req.method,
        path: redactPath(req.originalUrl),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      };
      if (res.statusCode >= 500) log.error(entry, 'request failed');
      // Health probes arrive every few seconds from compose and tests; they would drown the rest.
      else if (req.path === '/api/v1/health') log.debug(entry, 'request');
      else log.info(entry, 'request');
    });
    next();
  };
}
