import { Router } from 'express';
import { CreateWorkspaceBody, DestroyWorkspaceBody } from '@garrison/core';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import {
  createTeamWorkspace,
  destroyTeamWorkspace,
  getTeamWorkspace,
  getWorkspaceInitLog,
  listTeamWorkspaces,
  requestWorkspaceOperation,
  type WorkspaceServiceDeps,
} from '../workspaces/workspace.service.ts';

const OPERATIONS = ['start', 'stop', 'pause', 'resume', 'rebuild'] as const;

export function workspaceRoutes(deps: WorkspaceServiceDeps): Router {
  const router = Router();
  router.post('/workspaces', async (req, res) => {
    const body = parseInput(CreateWorkspaceBody, req.body);
    res.status(201).json(await createTeamWorkspace(deps, callerOf(req), body, req.requestId));
  });
  router.get('/workspaces', async (req, res) => {
    res.json({ workspaces: await listTeamWorkspaces(deps.db, callerOf(req)) });
  });
  router.get('/workspaces/:id/init-log', async (req, res) => {
    res.json(await getWorkspaceInitLog(deps.db, callerOf(req), req.params.id as string));
  });
  router.get('/workspaces/:id', async (req, res) => {
    res.json(await getTeamWorkspace(deps.db, callerOf(req), req.params.id as string));
  });
  for (const operation of OPERATIONS) {
    router.post(`/workspaces/:id/${operation}`, async (req, res) => {
      res.status(202).json(await requestWorkspaceOperation(deps, callerOf(req), req.params.id as string, operation, req.requestId));
    });
  }
  router.delete('/workspaces/:id', async (req, res) => {
    const body = parseInput(DestroyWorkspaceBody, req.body);
    res.status(202).json(await destroyTeamWorkspace(deps, callerOf(req), req.params.id as string, body.confirmName, req.requestId));
  });
  return router;
}
