import type { Db } from '../client.ts';
import type { Invite, Role, User } from '../generated/prisma/client.ts';

export type InviteWithTeam = Invite & { team: { name: string } };

export function createInvite(
  db: Db,
  input: { teamId: string; email: string | null; role: Role; tokenHash: string; createdById: string; expiresAt: Date },
): Promise<Invite> {
  return db.prisma.invite.create({ data: input });
}

export function listInvites(db: Db, teamId: string): Promise<Invite[]> {
  return db.prisma.invite.findMany({ where: { teamId }, orderBy: { createdAt: 'desc' }, take: 200 });
}

export function findInviteByHash(db: Db, tokenHash: string): Promise<InviteWithTeam | null> {
  return db.prisma.invite.findUnique({ where: { tokenHash }, include: { team: { select: { name: true } } } });
}

export function findTeamInvite(db: Db, teamId: string, inviteId: string): Promise<Invite | null> {
  return db.prisma.invite.findFirst({ where: { id: inviteId, teamId } });
}

/** Revoking twice is harmless; an accepted invite stays accepted. */
export async function revokeInvite(db: Db, teamId: string, inviteId: string): Promise<void> {
  await db.prisma.invite.updateMany({ where: { id: inviteId, teamId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
}

export type AcceptOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: 'gone' | 'already_member' | 'email_taken' };

class Rollback extends Error {
  constructor(readonly reason: 'gone' | 'already_member' | 'email_taken') {
    super(reason);
  }
}

/**
 * Claims the invite and adds the membership in one transaction: two people opening the same
 * link at once cannot both join, and a refused join leaves the invite usable. `newUser` creates
 * the account in the same transaction (signed-out acceptance).
 */
export async function acceptInvite(
  db: Db,
  input: { inviteId: string; userId?: string; newUser?: { email: string; name: string | null; passwordHash: string } },
): Promise<AcceptOutcome> {
  try {
    return await db.prisma.$transaction(async (tx) => {
      const now = new Date();
      const claimed = await tx.invite.updateMany({
        where: { id: input.inviteId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) throw new Rollback('gone');
      const invite = await tx.invite.findUniqueOrThrow({ where: { id: input.inviteId } });
      let user: User | null;
      if (input.newUser) {
        if (await tx.user.findUnique({ where: { email: input.newUser.email } })) throw new Rollback('email_taken');
        user = await tx.user.create({ data: input.newUser });
      } else {
        user = await tx.user.findUnique({ where: { id: input.userId } });
        if (!user) throw new Rollback('gone');
        const existing = await tx.membership.findUnique({ where: { teamId_userId: { teamId: invite.teamId, userId: user.id } } });
        if (existing) throw new Rollback('already_member');
      }
      await tx.membership.create({ data: { teamId: invite.teamId, userId: user.id, role: invite.role } });
      return { ok: true, user } as const;
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: error.reason };
    // Two sign-ups with the same email at once: the unique index decides.
    if ((error as { code?: string }).code === 'P2002') return { ok: false, reason: 'email_taken' };
    throw error;
  }
}
