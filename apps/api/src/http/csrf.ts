import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { DomainError, ErrorCode } from '@garrison/core';
import { SESSION_COOKIE, readCookie } from '../auth/caller.ts';
import { hashToken } from '../auth/secrets.ts';
import { isAllowedSocketOrigin } from '../sockets/origin-check.ts';
import { isHttps } from './session-cookie.ts';

export const CSRF_COOKIE = 'garrison_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by sign-in: the session the response is about to hand out, so a token can be bound to it. */
    openedSessionToken?: string;
  }
}

/** A dedicated CSRF_SECRET, or one derived from GARRISON_SECRET_KEY so an installation needs no new secret. */
export function csrfSecretFrom(env: { CSRF_SECRET?: string; GARRISON_SECRET_KEY: string }): string {
  return env.CSRF_SECRET ?? createHmac('sha256', env.GARRISON_SECRET_KEY).update('garrison csrf v1').digest('hex');
}

export interface CsrfGuard {
  /** The token for this browser (reused while its cookie is valid), with the cookie that pairs with it. */
  issue(req: Request, res: Response): string;
  /** Writes made with the session cookie must echo the token (double submit); bearer requests carry no ambient authority. */
  sessionWrites: RequestHandler;
  /** For a route that decides itself whether the session cookie authenticates it (invite acceptance). */
  hasValidToken(req: Request): boolean;
  /** Sign-in and invite acceptance start sessions: a token, or an Origin that is this site, guards against login CSRF. */
  sessionStart: RequestHandler;
}

function csrfFailed(): DomainError {
  return new DomainError(ErrorCode.CsrfFailed, 'This request is missing its security token (x-csrf-token); reload the page and try again.');
}

/**
 * csrf-csrf's double-submit: the token is an HMAC over a random value and the session cookie's
 * hash, kept in an httpOnly cookie and returned by GET /auth/csrf for the client to send back as
 * a header. A cross-site page can neither read the token nor set the cookie, and a token taken
 * from one session is worthless in another.
 */
export function createCsrfGuard(secret: string, allowedOrigins: string[]): CsrfGuard {
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => {
      const session = req.openedSessionToken ?? readCookie(req.headers.cookie, SESSION_COOKIE);
      return session ? hashToken(session) : '';
    },
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', httpOnly: true, secure: false },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER],
  });
  const cookieOptions = (req: Request) => ({ sameSite: 'strict' as const, path: '/', httpOnly: true, secure: isHttps(req) });

  return {
    issue(req, res) {
      // A new session invalidates the old token, so sign-in always writes a fresh pair.
      return generateCsrfToken(req, res, { cookieOptions: cookieOptions(req), overwrite: Boolean(req.openedSessionToken) });
    },
    sessionWrites(req, _res, next) {
      // Behind requireCaller the caller says how it authenticated; before it (sign-out), the cookie does.
      const bySession = req.caller ? req.caller.via === 'session' : Boolean(readCookie(req.headers.cookie, SESSION_COOKIE)) && !req.headers.authorization;
      if (SAFE_METHODS.has(req.method) || !bySession) {
        next();
        return;
      }
      next(validateRequest(req) ? undefined : csrfFailed());
    },
    hasValidToken: (req) => validateRequest(req),
    sessionStart(req, _res, next) {
      const sameOrigin = Boolean(req.headers.origin) && isAllowedSocketOrigin(req, allowedOrigins);
      next(validateRequest(req) || sameOrigin ? undefined : csrfFailed());
    },
  };
}
