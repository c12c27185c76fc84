import type { AuditQuery } from '@garrison/core';
import { listAuditActions, listAuditEntries, type AuditEntry, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { requireRole } from '../auth/roles.ts';

/** Metadata is written without secrets (see recordAudit's callers); it is passed through as stored. */
export function presentAuditEntry(entry: AuditEntry) {
  return {
    id: entry.id.toString(),
    action: entry.action,
    outcome: entry.outcome,
    actorId: entry.actorId,
    actorEmail: entry.actorEmail,
    targetType: entry.targetType,
    targetId: entry.targetId,
    metadata: entry.metadata,
    requestId: entry.requestId,
    createdAt: entry.createdAt.toISOString(),
  };
}

export async function listTeamAudit(db: Db, caller: Caller, query: AuditQuery) {
  requireRole(caller, 'admin', 'read the audit log');
  const entries = await listAuditEntries(db, { ...query, teamId: caller.teamId, before: query.before ? BigInt(query.before) : undefined });
  const last = entries.at(-1);
  return {
    entries: entries.map(presentAuditEntry),
    nextBefore: entries.length === query.limit && last ? last.id.toString() : null,
    actions: await listAuditActions(db, caller.teamId),
  };
}
