import { Router } from 'express';
import { callerOf } from '../http/auth.middleware.ts';
import { describeOverview, type OverviewDeps } from '../overview/overview.service.ts';

/** The dashboard's home: what needs a person, the queue, workspaces, results, trends and hosts. */
export function overviewRoutes(deps: OverviewDeps): Router {
  const router = Router();
  router.get('/overview', async (req, res) => {
    res.json(await describeOverview(deps, callerOf(req)));
  });
  return router;
}
