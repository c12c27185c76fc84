import { DomainError, ErrorCode, type AcceptInviteBody, type CreateInviteBody, type InviteState } from '@garrison/core';
import { acceptInvite, createInvite, findInviteByHash, findTeamInvite, listInvites, recordAudit, revokeInvite, type Db, type Invite, type InviteWithTeam } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { requireRole } from '../auth/roles.ts';
import { hashPassword, hashToken, newSecretToken } from '../auth/secrets.ts';

export function inviteStateOf(invite: Invite, now = new Date()): InviteState {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

export function presentInvite(invite: Invite) {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    state: inviteStateOf(invite),
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
    acceptedAt: invite.acceptedAt?.toISOString() ?? null,
    revokedAt: invite.revokedAt?.toISOString() ?? null,
  };
}

/** The link's secret is returned once; only its sha256 is stored, like an API token. */
export async function createTeamInvite(db: Db, caller: Caller, body: CreateInviteBody, requestId: string) {
  requireRole(caller, 'admin', 'invite people');
  if (body.role === 'owner') requireRole(caller, 'owner', 'invite a new owner');
  const token = newSecretToken('gi');
  const invite = await createInvite(db, {
    teamId: caller.teamId,
    email: body.email ?? null,
    role: body.role,
    tokenHash: hashToken(token),
    createdById: caller.userId,
    expiresAt: new Date(Date.now() + body.expiresInHours * 3600_000),
  });
  await recordAudit(db, {
    teamId: caller.teamId,
    actorId: caller.userId,
    action: 'invite.create',
    targetType: 'invite',
    targetId: invite.id,
    outcome: 'ok',
    requestId,
    metadata: { role: body.role, email: body.email ?? null, expiresInHours: body.expiresInHours },
  });
  return { invite: presentInvite(invite), token, url: `/invite/${token}` };
}

export async function listTeamInvites(db: Db, caller: Caller) {
  requireRole(caller, 'admin', 'see invites');
  return (await listInvites(db, caller.teamId)).map(presentInvite);
}

export async function revokeTeamInvite(db: Db, caller: Caller, inviteId: string, requestId: string): Promise<void> {
  requireRole(caller, 'admin', 'revoke invites');
  const invite = await findTeamInvite(db, caller.teamId, inviteId);
  if (!invite) throw new DomainError(ErrorCode.InviteNotFound, 'No invite with this id in your team; reload the invite list.');
  if (invite.acceptedAt) throw new DomainError(ErrorCode.Conflict, 'This invite was already accepted; remove the member instead.');
  await revokeInvite(db, caller.teamId, invite.id);
  await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'invite.revoke', targetType: 'invite', targetId: invite.id, outcome: 'ok', requestId });
}

const GONE: Record<Exclude<InviteState, 'pending'>, { code: ErrorCode; message: string }> = {
  expired: { code: ErrorCode.InviteExpired, message: 'This invite link has expired; ask an admin of the team for a new one.' },
  revoked: { code: ErrorCode.InviteRevoked, message: 'This invite link was revoked; ask an admin of the team for a new one.' },
  accepted: { code: ErrorCode.InviteUsed, message: 'This invite link has already been used; ask an admin of the team for a new one.' },
};

/** Unknown links are 404; known but unusable ones are 410 with the team's name so the page can say whom to ask. */
async function findUsableInvite(db: Db, token: string): Promise<InviteWithTeam> {
  const invite = /^gi_[\w-]{20,100}$/.test(token) ? await findInviteByHash(db, hashToken(token)) : null;
  if (!invite) throw new DomainError(ErrorCode.InviteNotFound, 'This invite link is not valid; check that it was copied whole, or ask for a new one.');
  const state = inviteStateOf(invite);
  if (state !== 'pending') throw new DomainError(GONE[state].code, GONE[state].message, { teamName: invite.team.name, state });
  return invite;
}

export async function describeInvite(db: Db, token: string) {
  const invite = await findUsableInvite(db, token);
  return { teamName: invite.team.name, role: invite.role, email: invite.email, expiresAt: invite.expiresAt.toISOString(), state: inviteStateOf(invite) };
}

function requireMatchingEmail(invite: Invite, email: string): void {
  if (invite.email && invite.email !== email.toLowerCase()) {
    throw new DomainError(ErrorCode.InviteEmailMismatch, `This invite is for ${invite.email}; sign in with that address or ask for an invite to yours.`);
  }
}

export type Acceptance = { teamId: string; teamName: string; role: string; userId: string; email: string; newUser: boolean };

/**
 * A signed-in caller joins as themselves; a signed-out visitor creates an account in the same
 * transaction. The caller's route then points the session (old or new) at the team.
 */
/** Who accepts: a caller, or a signed-in user who belongs to no team yet (no Caller without a team). */
export type InviteJoiner = Pick<Caller, 'userId' | 'email' | 'via'>;

export async function acceptTeamInvite(db: Db, token: string, caller: InviteJoiner | null, body: AcceptInviteBody, requestId: string): Promise<Acceptance> {
  const invite = await findUsableInvite(db, token);
  if (caller && caller.via !== 'session') {
    throw new DomainError(ErrorCode.InvalidInput, 'Accept an invite in the browser, signed in or signed out, not with an API token.');
  }
  let outcome;
  if (caller) {
    requireMatchingEmail(invite, caller.email);
    outcome = await acceptInvite(db, { inviteId: invite.id, userId: caller.userId });
  } else {
    if (!body.email || !body.password) {
      throw new DomainError(ErrorCode.InvalidInput, 'To join, sign in first, or send email and password (at least 10 characters) to create an account.', {
        fields: [
          ...(body.email ? [] : [{ field: 'email', problem: 'is required to create an account' }]),
          ...(body.password ? [] : [{ field: 'password', problem: 'is required to create an account' }]),
        ],
      });
    }
    requireMatchingEmail(invite, body.email);
    outcome = await acceptInvite(db, { inviteId: invite.id, newUser: { email: body.email, name: body.name ?? null, passwordHash: await hashPassword(body.password) } });
  }
  if (!outcome.ok) {
    await recordAudit(db, { teamId: invite.teamId, actorId: caller?.userId ?? null, action: 'invite.accept', targetType: 'invite', targetId: invite.id, outcome: 'denied', requestId, metadata: { reason: outcome.reason } });
    if (outcome.reason === 'already_member') throw new DomainError(ErrorCode.AlreadyMember, `You are already a member of ${invite.team.name}; switch to it with the team switcher.`);
    if (outcome.reason === 'email_taken') {
      throw new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists: sign in first, then open the invite link again.');
    }
    throw new DomainError(ErrorCode.InviteUsed, 'This invite link was used, revoked or expired just now; ask an admin of the team for a new one.');
  }
  await recordAudit(db, {
    teamId: invite.teamId,
    actorId: outcome.user.id,
    action: 'invite.accept',
    targetType: 'invite',
    targetId: invite.id,
    outcome: 'ok',
    requestId,
    metadata: { role: invite.role, newUser: !caller },
  });
  return { teamId: invite.teamId, teamName: invite.team.name, role: invite.role, userId: outcome.user.id, email: outcome.user.email, newUser: !caller };
}
