import { Router } from 'express';
import { ChangePasswordBody, DomainError, ErrorCode, LoginBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { AttemptLimits } from '../auth/attempt-limits.ts';
import { login, logout, resolveCaller, resolveSessionUser } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readCookie } from '../auth/caller.ts';
import { changePassword } from '../auth/password.service.ts';
import { callerOf, requireCaller } from '../http/auth.middleware.ts';
import type { CsrfGuard } from '../http/csrf.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { parseInput } from '../http/validate.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { describeCaller } from '../teams/team.service.ts';

export function authRoutes(deps: { db: Db; sessionTtlHours: number; limits: AttemptLimits; csrf: CsrfGuard; live: LiveRooms }): Router {
  const router = Router();

  router.get('/auth/csrf', (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ token: deps.csrf.issue(req, res) });
  });

  router.post('/auth/login', deps.csrf.sessionStart, async (req, res) => {
    const body = parseInput(LoginBody, req.body);
    const signedIn = await login(deps.db, deps.limits.signIn, {
      ...body,
      ttlHours: deps.sessionTtlHours,
      userAgent: req.headers['user-agent'] ?? null,
      requestId: req.requestId,
      ip: req.ip ?? 'unknown',
      previousSessionToken: readCookie(req.headers.cookie, SESSION_COOKIE),
    });
    if (signedIn.replacedSessionId) await deps.live.closeSessions([signedIn.replacedSessionId], 'signed in again');
    setSessionCookie(req, res, signedIn);
    req.openedSessionToken = signedIn.sessionToken;
    res.json({
      user: signedIn.user,
      teamId: signedIn.membership?.teamId ?? null,
      role: signedIn.membership?.role ?? null,
      csrfToken: deps.csrf.issue(req, res),
    });
  });

  router.post('/auth/logout', deps.csrf.sessionWrites, async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    // Looked up before the revocation, so this session's sockets can be dropped right after it.
    const signedIn = token ? await resolveCaller(deps.db, { sessionToken: token }) : null;
    if (token) await logout(deps.db, token, req.requestId);
    if (signedIn?.sessionId) await deps.live.closeSessions([signedIn.sessionId], 'signed_out');
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  // Who is signed in, team or not: /auth/me needs a team, this does not (a user in no team sees why).
  router.get('/auth/session', async (req, res) => {
    const session = await resolveSessionUser(deps.db, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in; sign in first.');
    res.json({ user: { id: session.userId, email: session.email } });
  });

  router.get('/auth/me', requireCaller(deps.db), async (req, res) => {
    res.json(await describeCaller(deps.db, callerOf(req)));
  });

  router.post('/auth/password', requireCaller(deps.db), deps.csrf.sessionWrites, async (req, res) => {
    const body = parseInput(ChangePasswordBody, req.body);
    res.json(await changePassword(deps.db, { guard: deps.limits.signIn, live: deps.live }, callerOf(req), body, { requestId: req.requestId, ip: req.ip ?? 'unknown' }));
  });

  return router;
}
