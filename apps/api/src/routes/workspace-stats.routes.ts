import { Router } from 'express';
import { callerOf } from '../http/auth.middleware.ts';
import { sampleTeamWorkspaceStats, type WorkspaceStatsDeps } from '../workspaces/workspace-stats.service.ts';

/** Live resource usage of a running workspace (one sample per request; the dashboard polls). */
export function workspaceStatsRoutes(deps: WorkspaceStatsDeps): Router {
  const router = Router();
  router.get('/workspaces/:id/stats', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await sampleTeamWorkspaceStats(deps, callerOf(req), req.params.id as string));
  });
  return router;
}
