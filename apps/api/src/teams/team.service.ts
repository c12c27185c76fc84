import { DomainError, ErrorCode } from '@garrison/core';
import { listTeamsOfUser, recordAudit, setSessionActiveTeam, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';

export async function listCallerTeams(db: Db, caller: Caller) {
  return listTeamsOfUser(db, caller.userId);
}

/** GET /auth/me: who the caller is, the team the request acts for, and every team they can switch to. */
export async function describeCaller(db: Db, caller: Caller) {
  const teams = await listTeamsOfUser(db, caller.userId);
  return {
    user: { id: caller.userId, email: caller.email },
    teamId: caller.teamId,
    teamName: teams.find((team) => team.id === caller.teamId)?.name ?? null,
    role: caller.role,
    via: caller.via,
    teams,
  };
}

/** Points the browser session at another of the user's teams; tokens are bound to one team for life. */
export async function switchActiveTeam(db: Db, caller: Caller, teamId: string, requestId: string, live: LiveRooms) {
  if (caller.via !== 'session' || !caller.sessionId) {
    throw new DomainError(ErrorCode.InvalidInput, 'An API token belongs to one team; create a token in the other team instead of switching.');
  }
  const team = (await listTeamsOfUser(db, caller.userId)).find((candidate) => candidate.id === teamId);
  if (!team) {
    await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'team.switch', targetType: 'team', targetId: teamId.slice(0, 64), outcome: 'denied', requestId });
    throw new DomainError(ErrorCode.TeamNotFound, 'You are not a member of that team; ask one of its admins for an invite link.');
  }
  await setSessionActiveTeam(db, caller.sessionId, team.id);
  // Other tabs of this session still hold the old team's rooms: they reconnect into the new team.
  await live.closeSessions([caller.sessionId], 'team_switched');
  await recordAudit(db, { teamId: team.id, actorId: caller.userId, action: 'team.switch', targetType: 'team', targetId: team.id, outcome: 'ok', requestId, metadata: { fromTeamId: caller.teamId } });
  return { teamId: team.id, teamName: team.name, role: team.role };
}
