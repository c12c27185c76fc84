import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../auth/caller.ts';

/** Secure cookies only over TLS (Caddy sets X-Forwarded-Proto), so plain-HTTP development works. */
export function isHttps(req: Request): boolean {
  return req.secure || req.headers['x-forwarded-proto'] === 'https';
}

/** Login and invite sign-up set the same cookie. */
export function setSessionCookie(req: Request, res: Response, session: { sessionToken: string; expiresAt: Date }): void {
  res.cookie(SESSION_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(req),
    path: '/',
    expires: session.expiresAt,
  });
}
