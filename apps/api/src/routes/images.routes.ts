import { Router } from 'express';
import { DomainError, ErrorCode, RebuildImageBody, type MaintenanceJob } from '@garrison/core';
import { recordAudit, type Db } from '@garrison/db';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';

export interface MaintenanceQueue {
  enqueueMaintenance(job: MaintenanceJob): Promise<void>;
}

/** Rebuilding the workspace image affects every team of the installation: owners and admins only. */
export function imageRoutes(deps: { db: Db; maintenanceQueue: MaintenanceQueue }): Router {
  const router = Router();
  router.post('/images/workspace/rebuild', async (req, res) => {
    const caller = callerOf(req);
    if (caller.role !== 'owner' && caller.role !== 'admin') {
      throw new DomainError(ErrorCode.Forbidden, 'Only owners and admins may rebuild the workspace image.');
    }
    const body = parseInput(RebuildImageBody, req.body);
    await deps.maintenanceQueue.enqueueMaintenance({ task: 'rebuild-image', actor: caller.email, noCache: body.noCache });
    await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'image.rebuild', targetType: 'image', targetId: 'workspace', outcome: 'ok', requestId: req.requestId });
    res.status(202).json({ queued: true, noCache: body.noCache, progress: 'join the socket room with images:subscribe and listen for image:progress' });
  });
  return router;
}
