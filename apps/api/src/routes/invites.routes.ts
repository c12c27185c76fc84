import { Router } from 'express';
import { AcceptInviteBody, CreateInviteBody } from '@garrison/core';
import { setSessionActiveTeam, type Db } from '@garrison/db';
import { openSession, resolveCaller } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readBearer, readCookie } from '../auth/caller.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { parseInput } from '../http/validate.ts';
import { acceptTeamInvite, createTeamInvite, describeInvite, listTeamInvites, revokeTeamInvite } from '../teams/invite.service.ts';

/** Opened from an invite link, signed in or not: mounted before requireCaller. */
export function publicInviteRoutes(deps: { db: Db; sessionTtlHours: number }): Router {
  const router = Router();
  router.get('/invites/:token', async (req, res) => {
    res.json(await describeInvite(deps.db, req.params.token as string));
  });
  router.post('/invites/:token/accept', async (req, res) => {
    const body = parseInput(AcceptInviteBody, req.body);
    const caller = await resolveCaller(deps.db, {
      sessionToken: readCookie(req.headers.cookie, SESSION_COOKIE),
      bearerToken: readBearer(req.headers.authorization),
    });
    const joined = await acceptTeamInvite(deps.db, req.params.token as string, caller, body, req.requestId);
    // Joining a team is a choice to work in it: the (new or existing) session switches to it.
    if (caller?.sessionId) {
      await setSessionActiveTeam(deps.db, caller.sessionId, joined.teamId);
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
