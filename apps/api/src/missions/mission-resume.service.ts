import { randomUUID } from 'node:crypto';
import { AGENTS, DomainError, ErrorCode, type AgentKind, type MissionStatus, type ResumeMissionBody } from '@garrison/core';
import { recordAudit, reopenMission } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission, type MissionServiceDeps } from './mission.service.ts';

/** Ended missions a resume may continue: cut short, not finished (those take follow-ups). */
const RESUMABLE_FROM: readonly MissionStatus[] = ['interrupted', 'failed'];

/**
 * Continues an interrupted or failed mission's own agent session in a new attempt. Never a fresh
 * agent under the old mission: without a session the agent can resume, the API refuses; a session
 * the CLI no longer knows ends the attempt `failed (resume_failed:…)`.
 */
export async function resumeMission(deps: MissionServiceDeps, caller: Caller, missionId: string, body: ResumeMissionBody, requestId: string) {
  const mission = await getTeamMission(deps.db, caller, missionId);
  if (!RESUMABLE_FROM.includes(mission.status)) {
    throw new DomainError(ErrorCode.NotResumable, `Mission ${missionId} is ${mission.status}; only an interrupted or failed mission can be resumed${mission.status === 'completed' || mission.status === 'blocked' ? ' (send it a follow-up message instead)' : ''}.`);
  }
  if (!AGENTS[mission.agent as AgentKind]?.resume) {
    throw new DomainError(ErrorCode.ResumeUnsupported, `The ${mission.agent} agent cannot continue a session; start a new mission instead.`);
  }
  if (!mission.resumable || !mission.agentSessionId) {
    throw new DomainError(ErrorCode.NotResumable, `Mission ${missionId} left no agent session to continue (it ended ${mission.statusReason ?? 'without a reason'} before its agent reported one); start a new mission instead.`);
  }
  const text = body.text ?? `Your previous run was cut short (${mission.statusReason ?? 'interrupted'}). Check what you already did in the workspace, then continue the mission.`;
  const reopened = await reopenMission(deps.db, missionId, { messageId: `resume-${randomUUID()}`, text, by: caller.email }, RESUMABLE_FROM, 'resume');
  if (!reopened) throw new DomainError(ErrorCode.Conflict, `Mission ${missionId} changed state just now; reload it and try again.`);
  await deps.publish(missionId, reopened.events).catch(() => {});
  await deps.queue.enqueueMission(missionId, reopened.attempt, mission.priority);
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'mission.resume', targetType: 'mission', targetId: missionId, outcome: 'ok', requestId, metadata: { attempt: reopened.attempt } });
  return { attempt: reopened.attempt, status: 'queued' as const };
}
