import type { Request, RequestHandler } from 'express';
import { DomainError, ErrorCode } from '@garrison/core';
import type { Db } from '@garrison/db';
import { resolveCaller } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readBearer, readCookie, tokenMayWrite, type Caller } from '../auth/caller.ts';

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
    requestId: string;
  }
}

export function requireCaller(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const caller = await resolveCaller(db, {
      sessionToken: readCookie(req.headers.cookie, SESSION_COOKIE),
      bearerToken: readBearer(req.headers.authorization),
    });
    if (!caller) {
      next(new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send an API token as "Authorization: Bearer <token>".'));
      return;
    }
    // Set before the scope check so a refused write is still audited with its actor.
    req.caller = caller;
    // A read-only token may look but not touch: every method that can change something is refused.
    if (!tokenMayWrite(caller) && !SAFE_METHODS.has(req.method)) {
      next(new DomainError(ErrorCode.TokenScope, 'This API token is read-only; create a token with the "write" scope to make changes.'));
      return;
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes behind requireCaller use this instead of a non-null assertion. */
export function callerOf(req: Request): Caller {
  if (!req.caller) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first.');
  return req.caller;
}
