import { Router } from 'express';
import { LoginBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import { login, logout } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readCookie } from '../auth/caller.ts';
import { callerOf, requireCaller } from '../http/auth.middleware.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { parseInput } from '../http/validate.ts';
import { describeCaller } from '../teams/team.service.ts';

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
    setSessionCookie(req, res, session);
    res.json({ user: { id: session.caller.userId, email: session.caller.email }, teamId: session.caller.teamId, role: session.caller.role });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await logout(deps.db, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', requireCaller(deps.db), async (req, res) => {
    res.json(await describeCaller(deps.db, callerOf(req)));
  });

  return router;
}
