import type { Db } from '../client.ts';
import type { AuditLog } from '../generated/prisma/client.ts';

export type AuditEntry = AuditLog & { actorEmail: string | null };

/** Newest first, paged by id (ids only grow), so a page never repeats or skips a row. */
export async function listAuditEntries(
  db: Db,
  query: {
    teamId: string;
    action?: string;
    actorId?: string;
    outcome?: string;
    targetType?: string;
    targetId?: string;
    from?: Date;
    to?: Date;
    before?: bigint;
    limit: number;
  },
): Promise<AuditEntry[]> {
  const rows = await db.prisma.auditLog.findMany({
    where: {
      teamId: query.teamId,
      ...(query.action ? { action: query.action.endsWith('.') ? { startsWith: query.action } : query.action } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      ...(query.targetType ? { targetType: query.targetType } : {}),
      ...(query.targetId ? { targetId: query.targetId } : {}),
      ...(query.from || query.to ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
      ...(query.before !== undefined ? { id: { lt: query.before } } : {}),
    },
    orderBy: { id: 'desc' },
    take: query.limit,
  });
  const actorIds = [...new Set(rows.map((row) => row.actorId).filter((id): id is string => id !== null))];
  const actors = actorIds.length ? await db.prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(actors.map((actor) => [actor.id, actor.email]));
  return rows.map((row) => ({ ...row, actorEmail: row.actorId ? (emailOf.get(row.actorId) ?? null) : null }));
}

/** The distinct actions a team has recorded, for the viewer's filter. */
export async function listAuditActions(db: Db, teamId: string): Promise<string[]> {
  const rows = await db.prisma.auditLog.findMany({ where: { teamId }, distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } });
  return rows.map((row) => row.action);
}
