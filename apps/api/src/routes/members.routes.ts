import { Router } from 'express';
import { UpdateMemberBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { listMembers, removeTeamMember, updateMemberRole } from '../teams/member.service.ts';

/** The active team's members: anyone in the team lists them, admins and owners change them. */
export function memberRoutes(deps: { db: Db; live: LiveRooms }): Router {
  const router = Router();
  router.get('/members', async (req, res) => {
    res.json({ members: await listMembers(deps.db, callerOf(req)) });
  });
  router.patch('/members/:userId', async (req, res) => {
    const body = parseInput(UpdateMemberBody, req.body);
    res.json(await updateMemberRole(deps.db, callerOf(req), req.params.userId as string, body.role, req.requestId, deps.live));
  });
  router.delete('/members/:userId', async (req, res) => {
    await removeTeamMember(deps.db, callerOf(req), req.params.userId as string, req.requestId, deps.live);
    res.status(204).end();
  });
  return router;
}
