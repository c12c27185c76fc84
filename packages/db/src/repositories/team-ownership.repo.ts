import { TERMINAL_STATUSES } from '@garrison/core';
import type { Db } from '../client.ts';
import type { recordAudit } from './identity.repo.ts';

type AuditEntry = Parameters<typeof recordAudit>[1];

export type OwnershipTransfer = { ok: true } | { ok: false; reason: 'not_owner' | 'not_member' | 'self' };

/**
 * The caller steps down to admin and the target becomes owner in one transaction, with the team's
 * owner rows locked first (as every role change does) so a concurrent demotion cannot leave the
 * team without an owner.
 */
export async function transferTeamOwnership(db: Db, input: { teamId: string; fromUserId: string; toUserId: string }): Promise<OwnershipTransfer> {
  if (input.fromUserId === input.toUserId) return { ok: false, reason: 'self' };
  return db.prisma.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "Membership" WHERE "teamId" = ${input.teamId} AND role = 'owner' ORDER BY id FOR UPDATE`;
    if (!owners.some((owner) => owner.userId === input.fromUserId)) return { ok: false, reason: 'not_owner' } as const;
    const target = await tx.membership.findUnique({ where: { teamId_userId: { teamId: input.teamId, userId: input.toUserId } } });
    if (!target) return { ok: false, reason: 'not_member' } as const;
    await tx.membership.update({ where: { id: target.id }, data: { role: 'owner' } });
    await tx.membership.update({ where: { teamId_userId: { teamId: input.teamId, userId: input.fromUserId } }, data: { role: 'admin' } });
    return { ok: true } as const;
  });
}

export interface TeamForDeletion {
  id: string;
  name: string;
  memberUserIds: string[];
  workspaceIds: string[];
}

export async function findTeamForDeletion(db: Db, teamId: string): Promise<TeamForDeletion | null> {
  const team = await db.prisma.team.findUnique({
    where: { id: teamId },
    select: { id: true, name: true, memberships: { select: { userId: true } }, workspaces: { where: { status: { not: 'destroyed' } }, select: { id: true } } },
  });
  if (!team) return null;
  return { id: team.id, name: team.name, memberUserIds: team.memberships.map((m) => m.userId), workspaceIds: team.workspaces.map((w) => w.id) };
}

export type TeamDeletion = { ok: true } | { ok: false; reason: 'gone' } | { ok: false; reason: 'active_missions'; activeMissions: number };

/**
 * Deletes the team and, by cascade, everything it owns. The team row is locked first: a mission
 * insert needs a key-share lock on it (its foreign key), so none can be dispatched between the
 * count of active missions and the delete. The audit row is written in the same transaction,
 * before the delete (which then sets its teamId to null), so it exists exactly when the team is gone.
 */
export async function deleteTeamIfIdle(db: Db, teamId: string, audit: AuditEntry): Promise<TeamDeletion> {
  return db.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Team" WHERE id = ${teamId} FOR UPDATE`;
    if (locked.length === 0) return { ok: false, reason: 'gone' } as const;
    const activeMissions = await tx.mission.count({ where: { teamId, status: { notIn: [...TERMINAL_STATUSES] } } });
    if (activeMissions > 0) return { ok: false, reason: 'active_missions', activeMissions } as const;
    await tx.auditLog.create({ data: { ...audit, teamId, metadata: audit.metadata ?? {} } });
    await tx.team.delete({ where: { id: teamId } });
    return { ok: true } as const;
  });
}
