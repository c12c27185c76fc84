import { z } from 'zod';

/** Teams, members, invites, API tokens and the audit log: request bodies and queries of /api/v1. */

export const TeamRole = z.enum(['owner', 'admin', 'member', 'viewer']);
export type TeamRole = z.infer<typeof TeamRole>;

/** Higher ranks include every right of the lower ones. */
export const ROLE_RANK: Record<TeamRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function hasRole(role: TeamRole, atLeast: TeamRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}

const id = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

export const SwitchTeamBody = z.object({ teamId: id });
export type SwitchTeamBody = z.infer<typeof SwitchTeamBody>;

export const UpdateMemberBody = z.object({ role: TeamRole });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const INVITE_DEFAULT_HOURS = 72;
export const INVITE_MAX_HOURS = 720;

export const CreateInviteBody = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(254).optional(),
  role: TeamRole,
  expiresInHours: z
    .number()
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1')
    .max(INVITE_MAX_HOURS, `must be at most ${INVITE_MAX_HOURS} (30 days)`)
    .default(INVITE_DEFAULT_HOURS),
});
export type CreateInviteBody = z.infer<typeof CreateInviteBody>;

export const PASSWORD_MIN_CHARS = 10;

/** Signed-out acceptance creates the account; a signed-in caller sends an empty body. */
export const AcceptInviteBody = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(254).optional(),
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
  password: z.string().min(PASSWORD_MIN_CHARS, `must be at least ${PASSWORD_MIN_CHARS} characters`).max(1024).optional(),
});
export type AcceptInviteBody = z.infer<typeof AcceptInviteBody>;

export const InviteState = z.enum(['pending', 'expired', 'accepted', 'revoked']);
export type InviteState = z.infer<typeof InviteState>;

export const TokenScope = z.enum(['read', 'write']);
export type TokenScope = z.infer<typeof TokenScope>;

/** Query filters arrive as `?action=` when a form leaves them blank: blank means no filter. */
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((value) => (value ? value : undefined));

export const AuditQuery = z.object({
  action: filterText(80),
  actorId: filterText(64),
  outcome: filterText(40),
  targetType: filterText(40),
  targetId: filterText(200),
  from: z.coerce.date({ error: 'must be a date or date-time, e.g. 2026-01-31' }).optional(),
  to: z.coerce.date({ error: 'must be a date or date-time, e.g. 2026-01-31' }).optional(),
  before: z.string().regex(/^\d{1,19}$/, 'must be an entry id from nextBefore').optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
}).refine((query) => !query.from || !query.to || query.from < query.to, { message: 'must be later than from', path: ['to'] });
/** `from` is inclusive and `to` exclusive, so consecutive ranges never count an entry twice. */
export type AuditQuery = z.infer<typeof AuditQuery>;
