import { Router } from 'express';
import { CreateRepositoryBody, MergeReviewBody, MissionDiffQuery, PushReviewBody } from '@garrison/core';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import { addRepository, cloneRepository, listRepositories, removeRepository, type RepositoryDeps } from '../repositories/repository.service.ts';
import { discardMissionBranch, getMissionDiff, mergeMissionBranch, pushMissionBranch } from '../repositories/review.service.ts';

/** Repositories of a workspace, and a mission's branch under review: its diff and its outcomes. */
export function repositoryRoutes(deps: RepositoryDeps): Router {
  const router = Router();
  router.post('/workspaces/:id/repositories', async (req, res) => {
    const body = parseInput(CreateRepositoryBody, req.body);
    res.status(202).json(await addRepository(deps, callerOf(req), req.params.id as string, body, req.requestId));
  });
  router.get('/workspaces/:id/repositories', async (req, res) => {
    res.json(await listRepositories(deps, callerOf(req), req.params.id as string));
  });
  router.post('/workspaces/:id/repositories/:repoId/clone', async (req, res) => {
    res.status(202).json(await cloneRepository(deps, callerOf(req), req.params.id as string, req.params.repoId as string, req.requestId));
  });
  router.delete('/workspaces/:id/repositories/:repoId', async (req, res) => {
    res.json(await removeRepository(deps, callerOf(req), req.params.id as string, req.params.repoId as string, req.requestId));
  });
  router.get('/missions/:id/diff', async (req, res) => {
    res.json(await getMissionDiff(deps, callerOf(req), req.params.id as string, parseInput(MissionDiffQuery, req.query)));
  });
  router.post('/missions/:id/review/merge', async (req, res) => {
    const body = parseInput(MergeReviewBody, req.body ?? {});
    res.json(await mergeMissionBranch(deps, callerOf(req), req.params.id as string, body, req.requestId));
  });
  router.post('/missions/:id/review/push', async (req, res) => {
    const body = parseInput(PushReviewBody, req.body ?? {});
    res.json(await pushMissionBranch(deps, callerOf(req), req.params.id as string, body, req.requestId));
  });
  router.post('/missions/:id/review/discard', async (req, res) => {
    res.json(await discardMissionBranch(deps, callerOf(req), req.params.id as string, req.requestId));
  });
  return router;
}
