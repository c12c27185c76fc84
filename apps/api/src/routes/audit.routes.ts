import { Router } from 'express';
import { AuditQuery } from '@garrison/core';
import type { Db } from '@garrison/db';
import { listTeamAudit } from '../audit/audit.service.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';

/** The active team's audit log, newest first, paged with `before=<nextBefore>`. */
export function auditRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    res.json(await listTeamAudit(deps.db, callerOf(req), parseInput(AuditQuery, req.query)));
  });
  return router;
}
