import type { Db } from '../client.ts';
import type { ApiToken } from '../generated/prisma/client.ts';

/** A user's tokens for one team, newest first; the hash never leaves this module's callers' presenters. */
export function listApiTokens(db: Db, userId: string, teamId: string): Promise<ApiToken[]> {
  return db.prisma.apiToken.findMany({ where: { userId, teamId }, orderBy: { createdAt: 'desc' }, take: 200 });
}

export function findUserApiToken(db: Db, userId: string, teamId: string, tokenId: string): Promise<ApiToken | null> {
  return db.prisma.apiToken.findFirst({ where: { id: tokenId, userId, teamId } });
}

export async function revokeApiToken(db: Db, tokenId: string): Promise<void> {
  await db.prisma.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
}
