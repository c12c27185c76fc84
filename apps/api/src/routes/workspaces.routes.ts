import { Router } from 'express';
import { CreateWorkspaceBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { createTeamWorkspace, getTeamWorkspace, listTeamWorkspaces } from '../workspaces/workspace.service.ts';

export function workspaceRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.post('/workspaces', async (req, res) => {
    const body = parseInput(CreateWorkspaceBody, req.body);
    res.status(201).json(await createTeamWorkspace(deps.db, callerOf(req), body, req.requestId));
  });
  router.get('/workspaces', async (req, res) => {
    res.json({ workspaces: await listTeamWorkspaces(deps.db, callerOf(req)) });
  });
  router.get('/workspaces/:id', async (req, res) => {
    res.json(await getTeamWorkspace(deps.db, callerOf(req), req.params.id as string));
  });
  return router;
}
