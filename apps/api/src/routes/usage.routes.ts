import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '@garrison/db';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { describeMissionUsage, describeTeamUsage } from '../usage/usage.service.ts';

const UsageQuery = z.object({ since: z.coerce.date({ error: 'must be a date like 2026-11-01T00:00:00Z' }).optional() });

/** Tokens and cost of model calls, metered at the gateway: per mission, per workspace, per team. */
export function usageRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/usage', async (req, res) => {
    const query = parseInput(UsageQuery, req.query);
    res.json(await describeTeamUsage(deps.db, callerOf(req), query.since));
  });
  router.get('/missions/:id/usage', async (req, res) => {
    res.json(await describeMissionUsage(deps.db, callerOf(req), req.params.id as string));
  });
  return router;
}
