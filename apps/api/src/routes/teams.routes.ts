import { Router } from 'express';
import { SwitchTeamBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { listCallerTeams, switchActiveTeam } from '../teams/team.service.ts';

/** The caller's teams and the session's active one. */
export function teamRoutes(deps: { db: Db; live: LiveRooms }): Router {
  const router = Router();
  router.get('/teams', async (req, res) => {
    res.json({ teams: await listCallerTeams(deps.db, callerOf(req)) });
  });
  router.post('/auth/team', async (req, res) => {
    const body = parseInput(SwitchTeamBody, req.body);
    res.json(await switchActiveTeam(deps.db, callerOf(req), body.teamId, req.requestId, deps.live));
  });
  return router;
}
