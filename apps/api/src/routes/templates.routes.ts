import { Router } from 'express';
import { CreateTemplateBody } from '@garrison/core';
import type { Db } from '@garrison/db';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { createTeamTemplate, listTeamTemplates } from '../workspaces/template.service.ts';

export function templateRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/templates', async (req, res) => {
    res.json({ templates: await listTeamTemplates(deps.db, callerOf(req)) });
  });
  router.post('/templates', async (req, res) => {
    const body = parseInput(CreateTemplateBody, req.body);
    res.status(201).json(await createTeamTemplate(deps.db, callerOf(req), body, req.requestId));
  });
  return router;
}
