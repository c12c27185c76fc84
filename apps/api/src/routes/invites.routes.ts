import { Router } from 'express';
import { AcceptInviteBody, CreateInviteBody, DomainError, ErrorCode } from '@garrison/core';
import { setSessionActiveTeam, type Db } from '@garrison/db';
import type { AttemptLimits } from '../auth/attempt-limits.ts';
import { openSession, resolveCaller, resolveSessionUser } from '../auth/auth.service.ts';
import type { CsrfGuard } from '../http/csrf.ts';
import { SESSION_COOKIE, readBearer, readCookie } from '../auth/caller.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { parseInput } from '../http/validate.ts';
import { acceptTeamInvite, createTeamInvite, describeInvite, listTeamInvites, revokeTeamInvite } from '../teams/invite.service.ts';

/** Opened from an invite link, signed in or not: mounted before requireCaller. */
export function publicInviteRoutes(deps: { db: Db; sessionTtlHours: number; limits: AttemptLimits; csrf: CsrfGuard }): Router {
  const router = Router();
  router.get('/invites/:token', async (req, res) => {
    res.json(await describeInvite(deps.db, req.params.token as string));
  });
  router.post('/invites/:token/accept', deps.csrf.sessionStart, async (req, res) => {
    await deps.limits.inviteAcceptance(req.ip ?? 'unknown');
    const body = parseInput(AcceptInviteBody, req.body);
    const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
    const bearerToken = readBearer(req.headers.authorization);
    // A signed-in user in no team yet has a session but no Caller: they join as themselves too.
    const caller = await resolveCaller(deps.db, { sessionToken, bearerToken });
    const sessionUser = caller || bearerToken ? null : await resolveSessionUser(deps.db, sessionToken);
    const joiner = caller ?? (sessionUser ? { ...sessionUser, via: 'session' as const } : null);
    // Joining with the session cookie is a write made with it: the token is required, as for every other.
    if (joiner?.via === 'session' && !deps.csrf.hasValidToken(req)) {
      throw new DomainError(ErrorCode.CsrfFailed, 'This request is missing its security token (x-csrf-token); reload the page and try again.');
    }
    const joined = await acceptTeamInvite(deps.db, req.params.token as string, joiner, body, req.requestId);
    // Joining a team is a choice to work in it: the (new or existing) session switches to it.
    const sessionId = caller?.sessionId ?? sessionUser?.sessionId;
    if (sessionId) {
      await setSessionActiveTeam(deps.db, sessionId, joined.teamId);
    } else {
      const session = await openSession(deps.db, { userId: joined.userId, ttlHours: deps.sessionTtlHours, userAgent: req.headers['user-agent'] ?? null, activeTeamId: joined.teamId });
      setSessionCookie(req, res, session);
    }
    res.status(201).json(joined);
  });
  return router;
}

/** Invite links of the active team (admins and owners). */
export function inviteRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/invites', async (req, res) => {
    res.json({ invites: await listTeamInvites(deps.db, callerOf(req)) });
  });
  router.post('/invites', async (req, res) => {
    const body = parseInput(CreateInviteBody, req.body);
    res.status(201).json(await createTeamInvite(deps.db, callerOf(req), body, req.requestId));
  });
  router.delete('/invites/:id', async (req, res) => {
    await revokeTeamInvite(deps.db, callerOf(req), req.params.id as string, req.requestId);
    res.status(204).end();
  });
  return router;
}
