import type { Db } from '../client.ts';
import type { User } from '../generated/prisma/client.ts';

export function findUserById(db: Db, userId: string): Promise<User | null> {
  return db.prisma.user.findUnique({ where: { id: userId } });
}

/** Used for the scrypt-to-argon2id upgrade on sign-in: only if the hash is still the one just verified. */
export async function replacePasswordHash(db: Db, userId: string, expectedHash: string, newHash: string): Promise<boolean> {
  const { count } = await db.prisma.user.updateMany({ where: { id: userId, passwordHash: expectedHash }, data: { passwordHash: newHash } });
  return count === 1;
}

/** A password change: the new hash and the end of every other session of the user, together. */
export async function changePasswordAndRevokeOtherSessions(
  db: Db,
  input: { userId: string; expectedHash: string; newHash: string; keepSessionId: string | null },
): Promise<{ changed: boolean; revokedSessionIds: string[] }> {
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: input.userId, passwordHash: input.expectedHash }, data: { passwordHash: input.newHash } });
    if (count !== 1) return { changed: false, revokedSessionIds: [] };
    const others = await tx.session.findMany({
      where: { userId: input.userId, revokedAt: null, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
      select: { id: true },
    });
    const revokedSessionIds = others.map((session) => session.id);
    await tx.session.updateMany({ where: { id: { in: revokedSessionIds } }, data: { revokedAt: new Date() } });
    return { changed: true, revokedSessionIds };
  });
}
