import { randomUUID } from 'node:crypto';
import { AGENTS, DomainError, ErrorCode, isActiveStatus, type AgentKind, type PostMessageBody, type ResolveApprovalBody } from '@garrison/core';
import { REOPENABLE_STATUSES, findChannelRequest, findPendingQuestion, recordAudit, reopenMission } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission, type MissionServiceDeps } from './mission.service.ts';

/** How a message reached the agent: the answer to its question, a follow-up for its next turn, or a reopened mission. */
export type MessageDelivery = 'answer' | 'follow_up' | 'reopened';

/**
 * A person's text for a mission's agent. While the agent waits on its question, the text is the
 * answer; while it works, a follow-up queued for its next turn; after it completed, a new attempt
 * that resumes the same session. An agent that cannot resume is refused, never started fresh.
 */
export async function postMissionMessage(deps: MissionServiceDeps, caller: Caller, missionId: string, body: PostMessageBody, requestId: string) {
  const mission = await getTeamMission(deps.db, caller, missionId);
  const agent = AGENTS[mission.agent as AgentKind];
  const messageId = `msg-${randomUUID()}`;
  let delivery: MessageDelivery;
  const inputId = mission.status === 'waiting_input' ? await findPendingQuestion(deps.db, missionId) : null;
  if (inputId) {
    delivery = 'answer';
    await deps.queue.enqueueControl({ missionId, action: 'message', actor: caller.email, messageId, text: body.text, inputId });
  } else if (isActiveStatus(mission.status) || mission.status === 'queued' || mission.status === 'provisioning') {
    if (!agent?.resume) throw resumeUnsupported(mission.agent);
    delivery = 'follow_up';
    await deps.queue.enqueueControl({ missionId, action: 'message', actor: caller.email, messageId, text: body.text });
  } else if (REOPENABLE_STATUSES.includes(mission.status)) {
    if (!agent?.resume) throw resumeUnsupported(mission.agent);
    if (!mission.agentSessionId) {
      throw new DomainError(ErrorCode.ResumeUnsupported, `The agent of mission ${missionId} left no session to continue; start a new mission with your message.`);
    }
    const reopened = await reopenMission(deps.db, missionId, { messageId, text: body.text, by: caller.email });
    if (!reopened) throw new DomainError(ErrorCode.Conflict, `Mission ${missionId} changed state just now; reload it and send again.`);
    delivery = 'reopened';
    await deps.publish(missionId, reopened.events).catch(() => {});
    await deps.queue.enqueueMission(missionId, reopened.attempt, mission.priority);
  } else {
    const hint = mission.resumable ? `Resume it with POST /api/v1/missions/${missionId}/resume.` : 'Start a new mission instead.';
    throw new DomainError(ErrorCode.MissionFinished, `Mission ${missionId} ended as ${mission.status} (${mission.statusReason ?? 'no reason'}); a follow-up can only continue a completed or blocked mission. ${hint}`);
  }
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'mission.message', targetType: 'mission', targetId: missionId, outcome: 'ok', requestId, metadata: { delivery } });
  return { messageId, delivery };
}

/** A decision on one of the agent's approval requests; the runner records who decided. */
export async function resolveMissionApproval(deps: MissionServiceDeps, caller: Caller, missionId: string, approvalId: string, body: ResolveApprovalBody, requestId: string) {
  const mission = await getTeamMission(deps.db, caller, missionId);
  const request = await findChannelRequest(deps.db, missionId, 'approval', approvalId);
  if (!request) throw new DomainError(ErrorCode.ApprovalNotFound, `Mission ${missionId} has no approval request ${approvalId}.`);
  if (request.resolved) throw new DomainError(ErrorCode.ApprovalAlreadyResolved, `Approval ${approvalId} was already decided; see the mission's approval.resolved event.`);
  if (!isActiveStatus(mission.status)) throw new DomainError(ErrorCode.MissionFinished, `Mission ${missionId} already ended as ${mission.status}; there is nothing left to approve.`);
  await deps.queue.enqueueControl({
    missionId,
    action: 'approval',
    actor: caller.email,
    approvalId,
    decision: body.decision,
    ...(body.message ? { message: body.message } : {}),
  });
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: `mission.approval.${body.decision}`, targetType: 'mission', targetId: missionId, outcome: 'ok', requestId, metadata: { approvalId } });
  return { approvalId, decision: body.decision, status: 'delivering' as const };
}

function resumeUnsupported(agent: string): DomainError {
  return new DomainError(ErrorCode.ResumeUnsupported, `The ${agent} agent cannot continue a session, so it cannot take follow-ups; start a new mission with your message.`);
}
