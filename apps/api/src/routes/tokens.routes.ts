import { Router } from 'express';
import { CreateTokenBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { AttemptLimits } from '../auth/attempt-limits.ts';
import { issueApiToken, listCallerApiTokens, revokeCallerApiToken } from '../auth/api-token.service.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';

/** The caller's own API tokens in the active team. */
export function tokenRoutes(deps: { db: Db; limits: AttemptLimits; live: LiveRooms }): Router {
  const router = Router();
  router.get('/tokens', async (req, res) => {
    res.json({ tokens: await listCallerApiTokens(deps.db, callerOf(req)) });
  });
  router.post('/tokens', async (req, res) => {
    const body = parseInput(CreateTokenBody, req.body);
    await deps.limits.tokenCreation(callerOf(req).userId);
    res.status(201).json(await issueApiToken(deps.db, callerOf(req), body, req.requestId));
  });
  router.delete('/tokens/:id', async (req, res) => {
    await revokeCallerApiToken(deps.db, callerOf(req), req.params.id as string, req.requestId, deps.live);
    res.status(204).end();
  });
  return router;
}
