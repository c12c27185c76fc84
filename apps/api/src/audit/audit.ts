import { recordAudit, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

/** ok: done or accepted for the worker; denied: refused by a rule (role, scope, wrong team, bad password); failed: broke. */
export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'locked';

export interface AuditRecord {
  action: string;
  /** What was acted on: `['workspace', id]`. */
  target?: readonly [type: string, id: string];
  outcome?: AuditOutcome;
  requestId?: string;
  /** Ids, names, counts and flags only: never a password, token, key or anything derived from one. */
  metadata?: Record<string, string | number | boolean | null>;
  /** Overrides the caller's team (e.g. a team switch recorded in the team switched to). */
  teamId?: string | null;
}

/** One audit row for something the caller did in their team; each call site stays one line. */
export async function audit(db: Db, caller: Pick<Caller, 'teamId' | 'userId'> | null, record: AuditRecord): Promise<void> {
  await recordAudit(db, {
    teamId: record.teamId !== undefined ? record.teamId : (caller?.teamId ?? null),
    actorId: caller?.userId ?? null,
    action: record.action,
    targetType: record.target?.[0],
    targetId: record.target?.[1].slice(0, 200),
    outcome: record.outcome ?? 'ok',
    requestId: record.requestId,
    metadata: record.metadata,
  });
}
