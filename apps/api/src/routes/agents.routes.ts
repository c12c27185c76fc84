import { Router } from 'express';
import { callerOf } from '../http/auth.middleware.ts';
import { listTeamAgents, type AgentCatalogDeps } from '../agents/agent-catalog.service.ts';

/** Which agents a mission of the caller's team can use now, and why not for the others. */
export function agentRoutes(deps: AgentCatalogDeps): Router {
  const router = Router();
  router.get('/agents', async (req, res) => {
    res.json({ agents: await listTeamAgents(deps, callerOf(req)) });
  });
  return router;
}
