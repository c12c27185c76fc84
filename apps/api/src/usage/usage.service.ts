import { listModelCalls, usageByWorkspace, usageForMission, usageForTeam, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission } from '../missions/mission.service.ts';

/** Per turn and in total, as the gateway metered them (the agent's own reports are `usage` events). */
export async function describeMissionUsage(db: Db, caller: Caller, missionId: string) {
  await getTeamMission(db, caller, missionId);
  const [total, calls] = await Promise.all([usageForMission(db, missionId), listModelCalls(db, missionId)]);
  return { total, calls };
}

/** The caller's team, in total and per workspace, optionally since a moment. */
export async function describeTeamUsage(db: Db, caller: Caller, since?: Date) {
  const [team, workspaces] = await Promise.all([usageForTeam(db, caller.teamId, since), usageByWorkspace(db, caller.teamId, since)]);
  return { since: since?.toISOString() ?? null, team, workspaces };
}
