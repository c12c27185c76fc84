import { Router } from 'express';
import { CreateMissionBody, ListEventsQuery, ListMissionFilesQuery, ListMissionsQuery, PostMessageBody, ResolveApprovalBody, ReviewMessageBody, ResumeMissionBody } from '@garrison/core';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';
import {
  cancelMission,
  describeTeamMission,
  dispatchMission,
  listMissionEvents,
  type MissionServiceDeps,
} from '../missions/mission.service.ts';
import { postMissionMessage, resolveMissionApproval } from '../missions/mission-conversation.service.ts';
import { resumeMission } from '../missions/mission-resume.service.ts';
import { listTeamMissionPage } from '../missions/mission-list.service.ts';
import { retryMission } from '../missions/mission-retry.service.ts';
import { listTeamMissionAttempts } from '../missions/mission-attempts.service.ts';
import { listTeamMissionFiles } from '../missions/mission-files.service.ts';
import type { GitRpcDeps } from '../repositories/git-rpc.ts';
import { reviewMessageText } from '../repositories/review.service.ts';

export function missionRoutes(deps: MissionServiceDeps & GitRpcDeps): Router {
  const router = Router();
  router.post('/missions', async (req, res) => {
    const body = parseInput(CreateMissionBody, req.body);
    res.status(201).json(await dispatchMission(deps, callerOf(req), body, req.requestId));
  });
  router.get('/missions', async (req, res) => {
    const query = parseInput(ListMissionsQuery, req.query);
    res.json(await listTeamMissionPage(deps.db, callerOf(req), query));
  });
  router.get('/missions/:id', async (req, res) => {
    res.json(await describeTeamMission(deps.db, callerOf(req), req.params.id as string));
  });
  router.get('/missions/:id/events', async (req, res) => {
    const query = parseInput(ListEventsQuery, req.query);
    res.json(await listMissionEvents(deps.db, callerOf(req), req.params.id as string, query.afterSeq, query.limit));
  });
  router.post('/missions/:id/cancel', async (req, res) => {
    res.status(202).json(await cancelMission(deps, callerOf(req), req.params.id as string, req.requestId));
  });
  router.post('/missions/:id/messages', async (req, res) => {
    // Review comments (MissionMessageBody's other half) reach the agent as one follow-up text,
    // each with its file:line and the line quoted. Parsed apart so errors name the right fields.
    const text = (req.body as { kind?: unknown } | undefined)?.kind === 'review'
      ? await reviewMessageText(deps, callerOf(req), req.params.id as string, parseInput(ReviewMessageBody, req.body))
      : parseInput(PostMessageBody, req.body).text;
    res.status(202).json(await postMissionMessage(deps, callerOf(req), req.params.id as string, { text }, req.requestId));
  });
  router.post('/missions/:id/approvals/:approvalId', async (req, res) => {
    const body = parseInput(ResolveApprovalBody, req.body);
    res.status(202).json(await resolveMissionApproval(deps, callerOf(req), req.params.id as string, req.params.approvalId as string, body, req.requestId));
  });
  router.post('/missions/:id/resume', async (req, res) => {
    const body = parseInput(ResumeMissionBody, req.body ?? {});
    res.status(202).json(await resumeMission(deps, callerOf(req), req.params.id as string, body, req.requestId));
  });
  router.post('/missions/:id/retry', async (req, res) => {
    res.status(201).json(await retryMission(deps, callerOf(req), req.params.id as string, req.requestId));
  });
  router.get('/missions/:id/attempts', async (req, res) => {
    res.json({ attempts: await listTeamMissionAttempts(deps.db, callerOf(req), req.params.id as string) });
  });
  router.get('/missions/:id/files', async (req, res) => {
    res.json(await listTeamMissionFiles(deps.db, callerOf(req), req.params.id as string, parseInput(ListMissionFilesQuery, req.query)));
  });
  return router;
}
