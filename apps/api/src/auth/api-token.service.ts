import { DomainError, ErrorCode, type CreateTokenBody } from '@garrison/core';
import { createApiToken, findUserApiToken, listApiTokens, recordAudit, revokeApiToken, type ApiToken, type Db } from '@garrison/db';
import type { Caller } from './caller.ts';
import type { LiveRooms } from '../sockets/live-rooms.ts';
import { hashToken, newSecretToken } from './secrets.ts';

export function presentApiToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

/** The secret is returned here once; afterwards only its prefix identifies it. */
export async function issueApiToken(db: Db, caller: Caller, body: CreateTokenBody, requestId: string) {
  const token = newSecretToken('gt');
  const row = await createApiToken(db, {
    userId: caller.userId,
    teamId: caller.teamId,
    name: body.name,
    tokenHash: hashToken(token),
    prefix: token.slice(0, 8),
    scopes: body.scopes,
    expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null,
  });
  await recordAudit(db, {
    teamId: caller.teamId,
    actorId: caller.userId,
    action: 'token.create',
    targetType: 'api_token',
    targetId: row.id,
    outcome: 'ok',
    requestId,
    metadata: { scopes: row.scopes.join(','), expiresInDays: body.expiresInDays ?? null },
  });
  return { ...presentApiToken(row), token };
}

export async function listCallerApiTokens(db: Db, caller: Caller) {
  return (await listApiTokens(db, caller.userId, caller.teamId)).map(presentApiToken);
}

/** Only the token's own user revokes it; anyone else's token is simply not found. */
export async function revokeCallerApiToken(db: Db, caller: Caller, tokenId: string, requestId: string, live: LiveRooms): Promise<void> {
  const token = await findUserApiToken(db, caller.userId, caller.teamId, tokenId);
  if (!token) throw new DomainError(ErrorCode.TokenNotFound, 'No API token with this id belongs to you in this team.');
  await revokeApiToken(db, token.id);
  // Sockets opened with it (scripts following a mission) are dropped at once.
  await live.closeToken(token.id, 'token_revoked');
  await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'token.revoke', targetType: 'api_token', targetId: token.id, outcome: 'ok', requestId });
}
