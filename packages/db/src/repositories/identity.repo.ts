import type { Db } from '../client.ts';
import type { ApiToken, Membership, Session, User } from '../generated/prisma/client.ts';

export function countUsers(db: Db): Promise<number> {
  return db.prisma.user.count();
}

export function findUserByEmail(db: Db, email: string): Promise<User | null> {
  return db.prisma.user.findUnique({ where: { email } });
}

/** First-run bootstrap: the first user owns the first team. */
export async function createOwnerWithTeam(db: Db, email: string, passwordHash: string, teamName: string): Promise<User> {
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email, passwordHash } });
    await tx.team.create({ data: { name: teamName, memberships: { create: { userId: user.id, role: 'owner' } } } });
    return user;
  });
}

/** The team a request acts for when the caller has not chosen one: the oldest membership. */
export function findDefaultMembership(db: Db, userId: string): Promise<Membership | null> {
  return db.prisma.membership.findFirst({ where: { userId }, orderBy: { createdAt: 'asc' } });
}

export function findMembership(db: Db, userId: string, teamId: string): Promise<Membership | null> {
  return db.prisma.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
}

export function createSession(db: Db, userId: string, tokenHash: string, expiresAt: Date, userAgent: string | null): Promise<Session> {
  return db.prisma.session.create({ data: { userId, tokenHash, expiresAt, userAgent } });
}

export function findActiveSession(db: Db, tokenHash: string): Promise<Session | null> {
  return db.prisma.session.findFirst({ where: { tokenHash, revokedAt: null, expiresAt: { gt: new Date() } } });
}

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db.prisma.session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: new Date() } });
}

export function createApiToken(
  db: Db,
  input: { userId: string; teamId: string; name: string; tokenHash: string; prefix: string; scopes?: string[]; expiresAt?: Date | null },
): Promise<ApiToken> {
  return db.prisma.apiToken.create({ data: input });
}

export function findActiveApiToken(db: Db, tokenHash: string): Promise<ApiToken | null> {
  return db.prisma.apiToken.findFirst({
    where: { tokenHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
  });
}

export async function touchApiToken(db: Db, tokenId: string): Promise<void> {
  await db.prisma.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: new Date() } });
}

export async function recordAudit(
  db: Db,
  entry: { teamId?: string | null; actorId?: string | null; action: string; targetType?: string; targetId?: string; outcome: string; requestId?: string; metadata?: Record<string, string | number | boolean | null> },
): Promise<void> {
  await db.prisma.auditLog.create({ data: { ...entry, metadata: entry.metadata ?? {} } });
}
