import { Router } from 'express';
import { DeleteTeamBody, TransferTeamBody } from '@garrison/core';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { deleteTeam, transferTeam, type TeamOwnershipDeps } from '../teams/team-ownership.service.ts';

/** The active team's owner hands it over or deletes it. */
export function teamOwnershipRoutes(deps: TeamOwnershipDeps): Router {
  const router = Router();
  router.post('/team/transfer', async (req, res) => {
    const body = parseInput(TransferTeamBody, req.body);
    res.json(await transferTeam(deps, callerOf(req), body.userId, req.requestId));
  });
  router.delete('/team', async (req, res) => {
    const body = parseInput(DeleteTeamBody, req.body ?? {});
    res.json(await deleteTeam(deps, callerOf(req), body.confirm, req.requestId));
  });
  return router;
}
