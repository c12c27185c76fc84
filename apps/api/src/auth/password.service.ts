import { DomainError, ErrorCode, type ChangePasswordBody } from '@garrison/core';
import { changePasswordAndRevokeOtherSessions, findUserById, recordAudit, type Db } from '@garrison/db';
import type { SignInGuard } from './attempt-limits.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import type { Caller } from './caller.ts';
import { hashPassword, verifyPassword } from './secrets.ts';

/**
 * Ends every other browser session of the user (a stolen cookie dies with the old password).
 * API tokens stay valid: they are named, scoped credentials the user revokes one by one in
 * Settings, and silently breaking every script on a password change would teach people not to
 * change it. Wrong current passwords count towards the same lockout as sign-in.
 */
export async function changePassword(db: Db, deps: { guard: SignInGuard; live: LiveRooms }, caller: Caller, body: ChangePasswordBody, context: { requestId: string; ip: string }) {
  const { guard } = deps;
  if (caller.via !== 'session') {
    throw new DomainError(ErrorCode.Forbidden, 'Change your password in the dashboard while signed in; API tokens cannot change it.');
  }
  const user = await findUserById(db, caller.userId);
  if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in again.');
  await guard.check(user.email, context.ip);
  if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
    const lockoutSeconds = await guard.recordFailure(user.email, context.ip);
    await recordAudit(db, { teamId: caller.teamId, actorId: user.id, action: 'auth.password_change', targetType: 'user', targetId: user.id, outcome: 'denied', requestId: context.requestId });
    if (lockoutSeconds > 0) {
      await recordAudit(db, { teamId: caller.teamId, actorId: user.id, action: 'auth.lockout', outcome: 'denied', requestId: context.requestId, metadata: { lockoutSeconds } });
    }
    throw new DomainError(ErrorCode.InvalidCredentials, 'Your current password is wrong; type it again.', { fields: [{ field: 'currentPassword', problem: 'is wrong' }] });
  }
  if (body.newPassword === body.currentPassword) {
    throw new DomainError(ErrorCode.InvalidInput, 'The new password is the same as the current one; choose a different one.', { fields: [{ field: 'newPassword', problem: 'must differ from the current password' }] });
  }
  await guard.recordSuccess(user.email, context.ip);
  const result = await changePasswordAndRevokeOtherSessions(db, {
    userId: user.id,
    expectedHash: user.passwordHash,
    newHash: await hashPassword(body.newPassword),
    keepSessionId: caller.sessionId ?? null,
  });
  if (!result.changed) throw new DomainError(ErrorCode.Conflict, 'Your password was changed elsewhere just now; sign in again with the new one.');
  // Their live sockets (terminals included) go with them, on every API node.
  await deps.live.closeSessions(result.revokedSessionIds, 'password changed');
  await recordAudit(db, {
    teamId: caller.teamId,
    actorId: user.id,
    action: 'auth.password_change',
    targetType: 'user',
    targetId: user.id,
    outcome: 'ok',
    requestId: context.requestId,
    metadata: { revokedSessions: result.revokedSessionIds.length },
  });
  return { revokedSessions: result.revokedSessionIds.length };
}
