import { Router, type Request } from 'express';
import { CreateTokenBody, LoginBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import { issueApiToken, login, logout } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readCookie } from '../auth/caller.ts';
import { callerOf, requireCaller } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';

/** Secure cookies only over TLS (Caddy sets X-Forwarded-Proto), so plain-HTTP development works. */
function isHttps(req: Request): boolean {
  return req.secure || req.headers['x-forwarded-proto'] === 'https';
}

export function authRoutes(deps: { db: Db; sessionTtlHours: number }): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const body = parseInput(LoginBody, req.body);
    const session = await login(deps.db, {
      ...body,
      ttlHours: deps.sessionTtlHours,
      userAgent: req.headers['user-agent'] ?? null,
      requestId: req.requestId,
    });
    res.cookie(SESSION_COOKIE, session.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: isHttps(req),
      path: '/',
      expires: session.expiresAt,
    });
    res.json({ user: { id: session.caller.userId, email: session.caller.email }, teamId: session.caller.teamId, role: session.caller.role });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await logout(deps.db, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', requireCaller(deps.db), (req, res) => {
    const caller = callerOf(req);
    res.json({ user: { id: caller.userId, email: caller.email }, teamId: caller.teamId, role: caller.role });
  });

  router.post('/tokens', requireCaller(deps.db), async (req, res) => {
    const body = parseInput(CreateTokenBody, req.body);
    res.status(201).json(await issueApiToken(deps.db, callerOf(req), body.name, req.requestId));
  });

  return router;
}
