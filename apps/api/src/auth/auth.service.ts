import type { Logger } from 'pino';
import { DomainError, ErrorCode } from '@garrison/core';
import {
  countUsers,
  createOwnerWithTeam,
  createSession,
  findActiveApiToken,
  findActiveSession,
  findDefaultMembership,
  findMembership,
  findUserByEmail,
  findUserById,
  recordAudit,
  replacePasswordHash,
  revokeSession,
  setSessionActiveTeam,
  touchApiToken,
  type Db,
} from '@garrison/db';
import { audit } from '../audit/audit.ts';
import type { Caller } from './caller.ts';
import type { SignInGuard } from './attempt-limits.ts';
import { hashPassword, hashToken, needsRehash, newSecretToken, verifyPassword } from './secrets.ts';

/** Compared against when the email is unknown, so a login takes as long whether or not it exists. */
const DUMMY_HASH = hashPassword('garrison-timing-equalizer');

/** First run: with no user at all, the configured admin becomes owner of a first team. */
export async function bootstrapAdmin(db: Db, email: string | undefined, password: string | undefined, log: Logger): Promise<void> {
  if (!email || !password) return;
  if ((await countUsers(db)) > 0) return;
  await createOwnerWithTeam(db, email.toLowerCase(), await hashPassword(password), 'My team');
  log.info({ email }, 'bootstrap admin created as owner of a first team');
}

export interface OpenedSession {
  sessionToken: string;
  sessionId: string;
  expiresAt: Date;
}

/** The one way a browser session starts (login, or accepting an invite as a new user). */
export async function openSession(db: Db, input: { userId: string; ttlHours: number; userAgent: string | null; activeTeamId?: string }): Promise<OpenedSession> {
  const sessionToken = newSecretToken('gs');
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  const session = await createSession(db, input.userId, hashToken(sessionToken), expiresAt, input.userAgent);
  if (input.activeTeamId) await setSessionActiveTeam(db, session.id, input.activeTeamId);
  return { sessionToken, sessionId: session.id, expiresAt };
}

export interface SignInResult extends OpenedSession {
  user: { id: string; email: string };
  /** Null for a user who belongs to no team yet: signed in, but with nothing to act on until invited. */
  membership: { teamId: string; role: Caller['role'] } | null;
  /** The session this browser had before (now revoked), whose sockets must close too. */
  replacedSessionId: string | null;
}

/**
 * Rate limited per email+address (lockout with backoff) and per address; a success resets the
 * pair. Every sign-in gets a new session token, and the browser's previous session ends.
 */
export async function login(
  db: Db,
  guard: SignInGuard,
  input: { email: string; password: string; ttlHours: number; userAgent: string | null; requestId: string; ip: string; previousSessionToken?: string },
): Promise<SignInResult> {
  await guard.check(input.email, input.ip);
  const user = await findUserByEmail(db, input.email);
  const valid = user ? await verifyPassword(input.password, user.passwordHash) : (await verifyPassword(input.password, await DUMMY_HASH), false);
  if (!user || !valid) {
    const lockoutSeconds = await guard.recordFailure(input.email, input.ip);
    const teamId = user ? ((await findDefaultMembership(db, user.id))?.teamId ?? null) : null;
    await recordAudit(db, { teamId, actorId: user?.id ?? null, action: 'auth.login', outcome: 'denied', requestId: input.requestId });
    if (lockoutSeconds > 0) {
      await recordAudit(db, { teamId, actorId: user?.id ?? null, action: 'auth.lockout', outcome: 'denied', requestId: input.requestId, metadata: { lockoutSeconds } });
    }
    throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong.');
  }
  await guard.recordSuccess(input.email, input.ip);
  if (needsRehash(user.passwordHash)) await replacePasswordHash(db, user.id, user.passwordHash, await hashPassword(input.password));
  const previous = input.previousSessionToken ? await findActiveSession(db, hashToken(input.previousSessionToken)) : null;
  if (previous) await revokeSession(db, previous.tokenHash);
  const membership = await findDefaultMembership(db, user.id);
  const session = await openSession(db, { userId: user.id, ttlHours: input.ttlHours, userAgent: input.userAgent });
  await recordAudit(db, { teamId: membership?.teamId ?? null, actorId: user.id, action: 'auth.login', outcome: 'ok', requestId: input.requestId });
  return {
    ...session,
    user: { id: user.id, email: user.email },
    membership: membership ? { teamId: membership.teamId, role: membership.role } : null,
    replacedSessionId: previous?.id ?? null,
  };
}

/** A signed-in browser whose user may belong to no team (so no Caller): enough to accept an invite. */
export async function resolveSessionUser(db: Db, sessionToken: string | undefined): Promise<{ userId: string; email: string; sessionId: string } | null> {
  if (!sessionToken) return null;
  const session = await findActiveSession(db, hashToken(sessionToken));
  const user = session ? await findUserById(db, session.userId) : null;
  return session && user ? { userId: user.id, email: user.email, sessionId: session.id } : null;
}

export async function logout(db: Db, sessionToken: string, requestId?: string): Promise<void> {
  const caller = await resolveCaller(db, { sessionToken });
  await revokeSession(db, hashToken(sessionToken));
  if (caller?.sessionId) await audit(db, caller, { action: 'auth.logout', target: ['session', caller.sessionId], requestId });
}

/** Resolves a session cookie or a bearer token to a caller; null means unauthenticated. */
export async function resolveCaller(db: Db, credentials: { sessionToken?: string; bearerToken?: string }): Promise<Caller | null> {
  if (credentials.bearerToken) {
    const token = await findActiveApiToken(db, hashToken(credentials.bearerToken));
    if (!token) return null;
    const membership = await findMembership(db, token.userId, token.teamId);
    const user = membership ? await db.prisma.user.findUnique({ where: { id: token.userId } }) : null;
    if (!membership || !user) return null;
    void touchApiToken(db, token.id).catch(() => {});
    return { userId: user.id, email: user.email, teamId: token.teamId, role: membership.role, via: 'token', scopes: token.scopes, tokenId: token.id };
  }
  if (credentials.sessionToken) {
    const session = await findActiveSession(db, hashToken(credentials.sessionToken));
    if (!session) return null;
    // The chosen team counts only while the user is still in it; a removed member falls back.
    const chosen = session.activeTeamId ? await findMembership(db, session.userId, session.activeTeamId) : null;
    const membership = chosen ?? (await findDefaultMembership(db, session.userId));
    const user = membership ? await db.prisma.user.findUnique({ where: { id: session.userId } }) : null;
    if (!membership || !user) return null;
    return { userId: user.id, email: user.email, teamId: membership.teamId, role: membership.role, via: 'session', sessionId: session.id };
  }
  return null;
}
