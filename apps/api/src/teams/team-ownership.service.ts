import { DomainError, ErrorCode } from '@garrison/core';
import { deleteTeamIfIdle, findTeamForDeletion, recordAudit, transferTeamOwnership, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { requireRole } from '../auth/roles.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';

export interface TeamOwnershipDeps {
  db: Db;
  live: LiveRooms;
}

/** The target becomes owner and the caller an admin; the caller's sockets reconnect with the new role. */
export async function transferTeam(deps: TeamOwnershipDeps, caller: Caller, userId: string, requestId: string) {
  requireRole(caller, 'owner', 'transfer the team');
  const transfer = await transferTeamOwnership(deps.db, { teamId: caller.teamId, fromUserId: caller.userId, toUserId: userId });
  if (!transfer.ok) {
    await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'team.transfer', targetType: 'user', targetId: userId.slice(0, 64), outcome: 'denied', requestId, metadata: { reason: transfer.reason } });
    if (transfer.reason === 'self') throw new DomainError(ErrorCode.InvalidInput, 'You already own this team; pick another member to transfer it to.', { fields: [{ field: 'userId', problem: 'must be another member' }] });
    if (transfer.reason === 'not_member') throw new DomainError(ErrorCode.MemberNotFound, 'No member with this user id in your team; invite them first, then transfer the team.');
    throw new DomainError(ErrorCode.Forbidden, 'You are no longer an owner of this team; reload the page.');
  }
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'team.transfer', targetType: 'user', targetId: userId, outcome: 'ok', requestId, metadata: { callerRole: 'admin' } });
  await deps.live.closeMember(caller.teamId, caller.userId, 'role_changed');
  return { teamId: caller.teamId, ownerId: userId, role: 'admin' as const };
}

/**
 * Deletes the team with its workspaces, missions, templates, credentials, invites and tokens.
 * Containers are not destroyed here: the rows cascade away, and each worker's reconciler removes
 * containers, volumes and networks whose workspace row is gone (its normal orphan path).
 */
export async function deleteTeam(deps: TeamOwnershipDeps, caller: Caller, confirm: string, requestId: string) {
  requireRole(caller, 'owner', 'delete the team');
  const team = await findTeamForDeletion(deps.db, caller.teamId);
  if (!team) throw new DomainError(ErrorCode.TeamNotFound, 'This team no longer exists; reload the page.');
  if (confirm !== team.name) {
    throw new DomainError(ErrorCode.ConfirmationMismatch, `Deleting removes the team and everything in it; type its exact name "${team.name}" as confirm.`, {
      fields: [{ field: 'confirm', problem: 'must equal the team name' }],
    });
  }
  const audit = { teamId: caller.teamId, actorId: caller.userId, action: 'team.delete', targetType: 'team', targetId: team.id, requestId };
  const deletion = await deleteTeamIfIdle(deps.db, team.id, { ...audit, outcome: 'ok', metadata: { name: team.name, members: team.memberUserIds.length, workspaces: team.workspaceIds.length } });
  if (!deletion.ok) {
    if (deletion.reason === 'gone') throw new DomainError(ErrorCode.TeamNotFound, 'This team no longer exists; reload the page.');
    await recordAudit(deps.db, { ...audit, outcome: 'denied', metadata: { reason: deletion.reason, activeMissions: deletion.activeMissions } });
    const n = deletion.activeMissions;
    throw new DomainError(ErrorCode.TeamBusy, `The team has ${n} active mission${n === 1 ? '' : 's'}; cancel ${n === 1 ? 'it' : 'them'} or wait until ${n === 1 ? 'it ends' : 'they end'}, then delete the team.`, {
      activeMissions: n,
    });
  }
  await Promise.all(team.memberUserIds.map((userId) => deps.live.closeMember(team.id, userId, 'team_deleted')));
  return { deleted: true as const, teamId: team.id, workspacesToRemove: team.workspaceIds.length };
}
