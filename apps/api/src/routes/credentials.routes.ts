import { Router } from 'express';
import { PutCredentialBody } from '@garrison/core';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import {
  deleteTeamCredential,
  listTeamCredentials,
  parseProvider,
  putTeamCredential,
  type CredentialServiceDeps,
} from '../credentials/credential.service.ts';

/** The team's model provider keys: write-only secrets, listed by provider and last four characters. */
export function credentialRoutes(deps: CredentialServiceDeps): Router {
  const router = Router();
  router.get('/credentials', async (req, res) => {
    res.json({ credentials: await listTeamCredentials(deps.db, callerOf(req)) });
  });
  router.put('/credentials/:provider', async (req, res) => {
    const provider = parseProvider(req.params.provider as string);
    const body = parseInput(PutCredentialBody, req.body);
    res.json(await putTeamCredential(deps, callerOf(req), provider, body, req.requestId));
  });
  router.delete('/credentials/:provider', async (req, res) => {
    const provider = parseProvider(req.params.provider as string);
    await deleteTeamCredential(deps.db, callerOf(req), provider, req.requestId);
    res.status(204).end();
  });
  return router;
}
