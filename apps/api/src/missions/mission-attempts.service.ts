import { isTerminalStatus, MissionStatus, type AttemptKind, type MissionAttemptView } from '@garrison/core';
import { listMissionAttempts, listStatusEvents, type StatusEventRow } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission } from './mission.service.ts';

const KIND_OF_REOPEN: Record<string, AttemptKind> = { resume: 'resume', follow_up: 'follow_up' };

/**
 * The mission's attempts with how each began and ended. An attempt row knows its times, exit
 * code and reason; the status events say the rest: the worker starts attempt k right after the
 * k-th provisioning -> running change, the reopen before it (reason resume or follow_up) says
 * why it ran, and the first terminal status after it is how it ended.
 */
export async function listTeamMissionAttempts(db: Parameters<typeof getTeamMission>[0], caller: Caller, missionId: string): Promise<MissionAttemptView[]> {
  const mission = await getTeamMission(db, caller, missionId);
  const [attempts, statuses] = await Promise.all([listMissionAttempts(db, missionId), listStatusEvents(db, missionId)]);
  const starts = statuses.filter((event) => event.status === 'running' && event.previous === 'provisioning');
  // Event retention may have deleted the status changes of early attempts: match from the end.
  const offset = attempts.length - starts.length;
  return attempts.map((attempt, index) => {
    const start = index - offset >= 0 ? starts[index - offset] : undefined;
    const isLast = index === attempts.length - 1;
    return {
      number: attempt.number,
      kind: start ? kindBefore(statuses, start.seq) : attempt.number === 1 ? 'start' : null,
      status: (start && endAfter(statuses, start.seq)) ?? (isLast ? mission.status : 'interrupted'),
      reason: attempt.reason ?? (isLast && attempt.endedAt === null ? mission.statusReason : null),
      exitCode: attempt.exitCode,
      startedAt: attempt.startedAt.toISOString(),
      endedAt: attempt.endedAt?.toISOString() ?? null,
    };
  });
}

function kindBefore(statuses: StatusEventRow[], seq: number): AttemptKind {
  const queued = statuses.filter((event) => event.seq < seq && event.status === 'queued').at(-1);
  return KIND_OF_REOPEN[queued?.reason ?? ''] ?? 'start';
}

function endAfter(statuses: StatusEventRow[], seq: number): MissionStatus | null {
  const end = statuses.find((event) => event.seq > seq && isTerminalStatus(event.status as MissionStatus));
  return end ? MissionStatus.parse(end.status) : null;
}
