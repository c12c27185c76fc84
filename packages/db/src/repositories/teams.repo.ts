import type { Db } from '../client.ts';
import type { Membership, Role } from '../generated/prisma/client.ts';

export interface TeamOfUser {
  id: string;
  name: string;
  role: Role;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
}

/** Every team the user belongs to, oldest membership first (the default team leads). */
export async function listTeamsOfUser(db: Db, userId: string): Promise<TeamOfUser[]> {
  const rows = await db.prisma.membership.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    include: { team: { select: { id: true, name: true } } },
  });
  return rows.map((row) => ({ id: row.team.id, name: row.team.name, role: row.role }));
}

export async function setSessionActiveTeam(db: Db, sessionId: string, teamId: string): Promise<void> {
  await db.prisma.session.update({ where: { id: sessionId }, data: { activeTeamId: teamId } });
}

export async function listTeamMembers(db: Db, teamId: string): Promise<TeamMember[]> {
  const rows = await db.prisma.membership.findMany({
    where: { teamId },
    orderBy: { createdAt: 'asc' },
    include: { user: { select: { email: true, name: true } } },
  });
  return rows.map((row) => ({ userId: row.userId, email: row.user.email, name: row.user.name, role: row.role, joinedAt: row.createdAt }));
}

export type MemberChange = { ok: true; membership: Membership } | { ok: false; reason: 'not_member' | 'changed' | 'last_owner' };

/**
 * The last-owner rule must hold under concurrent requests: the team's owner rows are locked
 * first, so two owners demoting each other at once cannot both succeed. `from` is the role the
 * caller's permission check saw; if it moved meanwhile, nothing changes.
 */
async function changeMembership(db: Db, input: { teamId: string; userId: string; from: Role; to: Role | null }): Promise<MemberChange> {
  return db.prisma.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "Membership" WHERE "teamId" = ${input.teamId} AND role = 'owner' ORDER BY id FOR UPDATE`;
    const target = await tx.membership.findUnique({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } } });
    if (!target) return { ok: false, reason: 'not_member' } as const;
    if (target.role !== input.from) return { ok: false, reason: 'changed' } as const;
    if (target.role === 'owner' && input.to !== 'owner' && owners.length <= 1) return { ok: false, reason: 'last_owner' } as const;
    if (input.to === null) {
      await tx.membership.delete({ where: { id: target.id } });
      // Its sessions fall back to another team (or to none) instead of acting for this one.
      await tx.session.updateMany({ where: { userId: input.userId, activeTeamId: input.teamId }, data: { activeTeamId: null } });
      return { ok: true, membership: target } as const;
    }
    return { ok: true, membership: await tx.membership.update({ where: { id: target.id }, data: { role: input.to } }) } as const;
  });
}

export function changeMemberRole(db: Db, input: { teamId: string; userId: string; from: Role; to: Role }): Promise<MemberChange> {
  return changeMembership(db, input);
}

export function removeMember(db: Db, input: { teamId: string; userId: string; from: Role }): Promise<MemberChange> {
  return changeMembership(db, { ...input, to: null });
}

export async function countOwners(db: Db, teamId: string): Promise<number> {
  return db.prisma.membership.count({ where: { teamId, role: 'owner' } });
}
