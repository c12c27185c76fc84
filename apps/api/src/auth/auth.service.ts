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
  recordAudit,
  revokeSession,
  setSessionActiveTeam,
  touchApiToken,
  type Db,
} from '@garrison/db';
import type { Caller } from './caller.ts';
import { hashPassword, hashToken, newSecretToken, verifyPassword } from './secrets.ts';

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

export async function login(
  db: Db,
  input: { email: string; password: string; ttlHours: number; userAgent: string | null; requestId: string },
): Promise<OpenedSession & { caller: Caller }> {
  const user = await findUserByEmail(db, input.email);
  const valid = user ? await verifyPassword(input.password, user.passwordHash) : (await verifyPassword(input.password, await DUMMY_HASH), false);
  const membership = user && valid ? await findDefaultMembership(db, user.id) : null;
  if (!user || !valid || !membership) {
    await recordAudit(db, { actorId: user?.id ?? null, action: 'auth.login', outcome: 'denied', requestId: input.requestId });
    throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong.');
  }
  const session = await openSession(db, { userId: user.id, ttlHours: input.ttlHours, userAgent: input.userAgent });
  await recordAudit(db, { teamId: membership.teamId, actorId: user.id, action: 'auth.login', outcome: 'ok', requestId: input.requestId });
  return {
    ...session,
    caller: { userId: user.id, email: user.email, teamId: membership.teamId, role: membership.role, via: 'session', sessionId: session.sessionId },
  };
}

export async function logout(db: Db, sessionToken: string): Promise<void> {
  await revokeSession(db, hashToken(sessionToken));
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
    return { userId: user.id, email: user.email, teamId: token.teamId, role: membership.role, via: 'token', scopes: token.scopes };
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
