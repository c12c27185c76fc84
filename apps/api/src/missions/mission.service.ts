import {
  AGENTS,
  AgentKind,
  DEFAULT_MISSION_POLICY,
  DomainError,
  ErrorCode,
  isAgentAvailable,
  isTerminalStatus,
  type CreateMissionBody,
  type MissionEvent,
} from '@garrison/core';
import {
  changeMissionStatus,
  createQueuedMission,
  findMissionForTeam,
  findWorkspaceForTeam,
  getHeadSeq,
  listEventsAfter,
  listMissionRetries,
  queuePosition,
  recordAudit,
  type Db,
  type Mission,
} from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import type { MissionQueue } from './mission-queue.ts';
import { presentReview, resolveMissionRepository } from '../repositories/mission-repository.ts';

export interface MissionServiceDeps {
  db: Db;
  queue: MissionQueue;
  publish(missionId: string, events: MissionEvent[]): Promise<void>;
}

export function presentMission(mission: Mission) {
  return {
    id: mission.id,
    workspaceId: mission.workspaceId,
    agent: mission.agent,
    model: mission.model,
    policy: (mission.policy as { mode?: string } | null)?.mode ?? DEFAULT_MISSION_POLICY,
    limits: mission.limits,
    priority: mission.priority,
    prompt: mission.prompt,
    status: mission.status,
    statusReason: mission.statusReason,
    exitCode: mission.exitCode,
    lastSeq: mission.lastSeq,
    authorId: mission.authorId,
    cancelRequestedBy: mission.cancelRequestedBy,
    /** As the model gateway metered it (the agent's own reports are `usage` events). */
    usage: { modelCalls: mission.modelCalls, inputTokens: mission.inputTokens, outputTokens: mission.outputTokens, costUsd: Number(mission.costUsd ?? 0) },
    resumable: mission.resumable && AGENTS[mission.agent as AgentKind]?.resume === true,
    createdAt: mission.createdAt.toISOString(),
    startedAt: mission.startedAt?.toISOString() ?? null,
    endedAt: mission.endedAt?.toISOString() ?? null,
    /** Set once event retention deleted this mission's older events (its result and end are kept). */
    eventsPrunedAt: mission.eventsPrunedAt?.toISOString() ?? null,
    /** The mission this one retries (POST /missions/:id/retry), if it is a retry. */
    retryOfId: mission.retryOfId,
    ...presentReview(mission),
  };
}

/** Validates everything before writing anything: bad input changes nothing and queues nothing. */
export async function dispatchMission(deps: MissionServiceDeps, caller: Caller, body: CreateMissionBody, requestId: string, link: { retryOfId?: string } = {}) {
  const agent = AgentKind.safeParse(body.agent);
  if (!agent.success) {
    throw new DomainError(ErrorCode.UnknownAgent, `Unknown agent "${body.agent}"; use one of: ${AgentKind.options.join(', ')}.`);
  }
  if (!isAgentAvailable(agent.data)) {
    throw new DomainError(ErrorCode.AgentUnavailable, `The ${agent.data} agent is not available in this installation yet; use shell.`);
  }
  const workspace = await findWorkspaceForTeam(deps.db, caller.teamId, body.workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${body.workspaceId} in your team.`);
  await assertAgentCanRun(deps.db, caller.teamId, agent.data, workspace);
  const repository = await resolveMissionRepository(deps.db, caller, workspace.id, body);

  const { mission, event } = await createQueuedMission(deps.db, {
    teamId: caller.teamId,
    workspaceId: workspace.id,
    authorId: caller.userId,
    agent: agent.data,
    prompt: body.prompt,
    model: body.model ?? AGENTS[agent.data].defaultModel,
    policy: { mode: body.policy ?? DEFAULT_MISSION_POLICY },
    limits: body.limits ?? {},
    priority: body.priority ?? 0,
    retryOfId: link.retryOfId ?? null,
    ...repository,
  });
  try {
    await deps.queue.enqueueMission(mission.id, 1, mission.priority);
  } catch {
    // Without a job the mission would sit in `queued` forever: say so instead.
    await changeMissionStatus(deps.db, mission.id, 'failed', 'enqueue_failed');
    throw new DomainError(ErrorCode.ServiceUnavailable, 'The mission queue is unreachable; the mission was not started. Try again shortly.');
  }
  // The team's dashboards learn of the new mission from its first status event.
  await deps.publish(mission.id, [event]).catch(() => {});
  // A retry is one action with one row (mission.retry, naming both missions), written by its service.
  if (!link.retryOfId) await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'mission.dispatch', targetType: 'mission', targetId: mission.id, outcome: 'ok', requestId });
  return presentMission(mission);
}

/**
 * A model agent needs the team's key for its provider (the gateway swaps it in) and a network
 * that reaches the gateway; refusing now beats a mission that fails at its first model call.
 */
async function assertAgentCanRun(db: Db, teamId: string, agent: AgentKind, workspace: { templateId: string | null }): Promise<void> {
  const provider = AGENTS[agent].provider;
  if (!provider) return;
  const credentials = await db.prisma.providerCredential.count({ where: { teamId, provider } });
  if (credentials === 0) {
    throw new DomainError(ErrorCode.ProviderNotConfigured, `${AGENTS[agent].label} needs your team's ${provider} key: add it with PUT /api/v1/credentials/${provider} (Settings → Credentials) first.`);
  }
  const template = workspace.templateId
    ? await db.prisma.workspaceTemplate.findUnique({ where: { id: workspace.templateId }, select: { networkPolicy: true } })
    : await db.prisma.workspaceTemplate.findFirst({ where: { teamId: null, name: 'default' }, select: { networkPolicy: true } });
  if (template?.networkPolicy === 'none') {
    throw new DomainError(ErrorCode.AgentNeedsNetwork, `This workspace's template has network policy "none", so ${AGENTS[agent].label} could not reach the model gateway; use a workspace made from the shared "agents" template (or any template with model_only or more).`);
  }
}

export async function getTeamMission(db: Db, caller: Caller, missionId: string): Promise<Mission> {
  const mission = await findMissionForTeam(db, caller.teamId, missionId);
  if (!mission) throw new DomainError(ErrorCode.MissionNotFound, `No mission ${missionId} in your team.`);
  return mission;
}

/** A mission as the API shows it alone: a queued one also says where it stands in line. */
export async function describeTeamMission(db: Db, caller: Caller, missionId: string) {
  const mission = await getTeamMission(db, caller, missionId);
  const [position, retries] = await Promise.all([
    mission.status === 'queued' ? queuePosition(db, mission.id) : null,
    listMissionRetries(db, caller.teamId, mission.id),
  ]);
  return {
    ...presentMission(mission),
    queuePosition: position,
    /** Missions started as retries of this one, oldest first. */
    retries: retries.map((retry) => ({ id: retry.id, status: retry.status, createdAt: retry.createdAt.toISOString() })),
  };
}

export async function listMissionEvents(db: Db, caller: Caller, missionId: string, afterSeq: number, limit: number) {
  const mission = await getTeamMission(db, caller, missionId);
  const [events, headSeq] = await Promise.all([listEventsAfter(db, missionId, afterSeq, limit), getHeadSeq(db, missionId)]);
  const nextAfterSeq = events.length > 0 ? events[events.length - 1]!.seq : afterSeq;
  // Retention leaves holes in seq up to prunedThroughSeq; a client paging by seq expects them there.
  return { events, headSeq, nextAfterSeq, prunedThroughSeq: mission.prunedThroughSeq ?? 0 };
}

/**
 * Records the request on the mission (so it survives any restart), cancels a queued mission on
 * the spot, and asks the workers to stop a running one.
 */
export async function cancelMission(deps: MissionServiceDeps, caller: Caller, missionId: string, requestId: string) {
  const mission = await getTeamMission(deps.db, caller, missionId);
  if (isTerminalStatus(mission.status)) {
    throw new DomainError(ErrorCode.MissionFinished, `Mission ${missionId} already ended as ${mission.status}.`);
  }
  await deps.db.prisma.mission.updateMany({
    where: { id: missionId, cancelRequestedAt: null },
    data: { cancelRequestedBy: caller.email, cancelRequestedAt: new Date() },
  });
  const change = mission.status === 'queued'
    ? await changeMissionStatus(deps.db, missionId, 'canceled', `canceled_by:${caller.email}`)
    : null;
  if (change) await deps.publish(missionId, [change.event]).catch(() => {});
  else await deps.queue.enqueueControl({ missionId, action: 'cancel', actor: caller.email });
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'mission.cancel', targetType: 'mission', targetId: missionId, outcome: 'ok', requestId });
  return presentMission(await getTeamMission(deps.db, caller, missionId));
}
