import { DomainError, ErrorCode, type TeamRole } from '@garrison/core';
import { changeMemberRole, findMembership, listTeamMembers, recordAudit, removeMember, type Db, type MemberChange, type TeamMember } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { requireRole } from '../auth/roles.ts';

export function presentMember(member: TeamMember) {
  return { userId: member.userId, email: member.email, name: member.name, role: member.role, joinedAt: member.joinedAt.toISOString() };
}

export async function listMembers(db: Db, caller: Caller) {
  return (await listTeamMembers(db, caller.teamId)).map(presentMember);
}

async function findTarget(db: Db, caller: Caller, userId: string) {
  const target = await findMembership(db, userId, caller.teamId);
  if (!target) throw new DomainError(ErrorCode.MemberNotFound, 'No member with this user id in your team; reload the member list.');
  return target;
}

function failOn(change: MemberChange, what: string): asserts change is Extract<MemberChange, { ok: true }> {
  if (change.ok) return;
  if (change.reason === 'last_owner') {
    throw new DomainError(ErrorCode.LastOwner, `A team needs at least one owner: make another member owner before you ${what}.`);
  }
  if (change.reason === 'not_member') throw new DomainError(ErrorCode.MemberNotFound, 'No member with this user id in your team; reload the member list.');
  throw new DomainError(ErrorCode.Conflict, "This member's role changed meanwhile; reload the member list and try again.");
}

/**
 * Admins manage members and admins; only an owner grants or takes away ownership. Nobody changes
 * their own role, except an owner stepping down while another owner remains.
 */
export async function updateMemberRole(db: Db, caller: Caller, userId: string, role: TeamRole, requestId: string, live: LiveRooms) {
  requireRole(caller, 'admin', "change members' roles");
  const target = await findTarget(db, caller, userId);
  if (userId === caller.userId && caller.role !== 'owner') {
    throw new DomainError(ErrorCode.Forbidden, 'You cannot change your own role; ask an owner of the team.');
  }
  if ((target.role === 'owner' || role === 'owner') && caller.role !== 'owner') {
    throw new DomainError(ErrorCode.Forbidden, 'Only owners may grant or take away the owner role; you are an admin of this team.', { requiredRole: 'owner', role: caller.role });
  }
  const change = await changeMemberRole(db, { teamId: caller.teamId, userId, from: target.role, to: role });
  failOn(change, userId === caller.userId ? 'step down' : 'demote this owner');
  await recordAudit(db, {
    teamId: caller.teamId,
    actorId: caller.userId,
    action: 'member.role_change',
    targetType: 'user',
    targetId: userId,
    outcome: 'ok',
    requestId,
    metadata: { from: target.role, to: role },
  });
  // Sockets hold the role they connected with: they reconnect and are authorized with the new one.
  await live.closeMember(caller.teamId, userId, 'role_changed');
  const members = await listTeamMembers(db, caller.teamId);
  const updated = members.find((member) => member.userId === userId);
  if (!updated) throw new DomainError(ErrorCode.MemberNotFound, 'This member left the team meanwhile; reload the member list.');
  return presentMember(updated);
}

/** Removing someone also stops their sessions from acting for this team (resolveCaller checks membership). */
export async function removeTeamMember(db: Db, caller: Caller, userId: string, requestId: string, live: LiveRooms): Promise<void> {
  requireRole(caller, 'admin', 'remove members');
  const target = await findTarget(db, caller, userId);
  if (target.role === 'owner' && caller.role !== 'owner') {
    throw new DomainError(ErrorCode.Forbidden, 'Only owners may remove an owner; you are an admin of this team.', { requiredRole: 'owner', role: caller.role });
  }
  const change = await removeMember(db, { teamId: caller.teamId, userId, from: target.role });
  failOn(change, userId === caller.userId ? 'leave' : 'remove this owner');
  // Their open sockets (team room, missions, terminals) are dropped now, on every API node.
  await live.closeMember(caller.teamId, userId, 'member_removed');
  await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'member.remove', targetType: 'user', targetId: userId, outcome: 'ok', requestId, metadata: { role: target.role } });
}
