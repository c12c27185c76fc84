import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from 'pino';
import { isDomainError } from '@garrison/core';
import type { Db } from '@garrison/db';
import { audit } from '../audit/audit.ts';
import { statusOfCode } from './error-handler.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes whose service writes its own `denied` row with a precise action (no second row here). */
const AUDITED_BY_SERVICE = new Set(['POST /auth/team', 'POST /team/transfer']);

/**
 * Every write a signed-in caller is refused with 403 (role, token scope, CSRF) or 404 (an id not
 * in their team: how probing another team looks) becomes one `denied` audit row, here rather than
 * at each of the many places that throw. The action is the route pattern (`POST
 * /workspaces/:id/start`), never the raw URL: patterns carry no secrets, URLs may (invite tokens).
 * Unauthenticated refusals (401) have no actor and are left to the sign-in limiter and logs.
 */
export function auditDeniedWrites(db: Db, log: Logger): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const caller = req.caller;
    const status = isDomainError(error) ? statusOfCode(error.code) : 0;
    if (!caller || SAFE_METHODS.has(req.method) || (status !== 403 && status !== 404)) return next(error);
    const action = `${req.method} ${routePattern(req)}`;
    if (AUDITED_BY_SERVICE.has(action)) return next(error);
    audit(db, caller, { action, target: targetOf(req), outcome: 'denied', requestId: req.requestId, metadata: { code: isDomainError(error) ? error.code : null, status } })
      .catch((failure: unknown) => log.warn({ err: failure, requestId: req.requestId }, 'denied write not audited'))
      .finally(() => next(error));
  };
}

/** The matched route relative to /api/v1, or the path with every id-like segment replaced. */
function routePattern(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return route;
  return apiSegments(req)
    .map((segment, index) => (index % 2 === 1 ? ':id' : segment))
    .join('/')
    .replace(/^/, '/');
}

/** `/workspaces/<id>/…` -> ['workspace', id]; nothing for collections or invite-token paths. */
function targetOf(req: Request): readonly [string, string] | undefined {
  const [collection, id, sub] = apiSegments(req);
  if (!collection || !id || (collection === 'invites' && sub === 'accept')) return undefined;
  return [collection.replace(/s$/, ''), safeDecode(id).slice(0, 64)];
}

function apiSegments(req: Request): string[] {
  return req.originalUrl.split('?')[0]!.replace(/^\/api\/v1\/?/, '').split('/').filter(Boolean).slice(0, 8);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
