import type { ModelProvider } from '@garrison/core';
import type { Db } from '../client.ts';
import { resealRows } from '../reseal.ts';
import type { SecretBox } from '../secret-box.ts';

/** What anyone may see of a credential: never the key, only its last four characters. */
export interface CredentialSummary {
  provider: ModelProvider;
  baseUrl: string | null;
  last4: string | null;
  updatedAt: Date;
}

/** The key itself, for the gateway only, which swaps it in for the mission token. */
export interface ResolvedCredential {
  apiKey: string;
  baseUrl: string | null;
}

/** Sealed with team and provider as context: a row copied to another team does not open. */
function contextOf(teamId: string, provider: string): string {
  return `provider-credential:${teamId}:${provider}`;
}

function summaryOf(row: { provider: string; baseUrl: string | null; last4: string | null; updatedAt: Date }): CredentialSummary {
  return { provider: row.provider as ModelProvider, baseUrl: row.baseUrl, last4: row.last4, updatedAt: row.updatedAt };
}

/** Creates or replaces the team's credential for a provider (a PUT: a missing baseUrl clears it). */
export async function putCredential(
  db: Db,
  box: SecretBox,
  input: { teamId: string; provider: ModelProvider; apiKey: string; baseUrl?: string | null },
): Promise<CredentialSummary> {
  const sealed = box.seal(input.apiKey, contextOf(input.teamId, input.provider));
  const data = {
    baseUrl: input.baseUrl ?? null,
    ciphertext: sealed.ciphertext,
    iv: sealed.iv,
    authTag: sealed.authTag,
    keyVersion: sealed.keyVersion,
    last4: input.apiKey.slice(-4),
  };
  const row = await db.prisma.providerCredential.upsert({
    where: { teamId_provider: { teamId: input.teamId, provider: input.provider } },
    create: { teamId: input.teamId, provider: input.provider, ...data },
    update: data,
  });
  return summaryOf(row);
}

export async function listCredentials(db: Db, teamId: string): Promise<CredentialSummary[]> {
  const rows = await db.prisma.providerCredential.findMany({
    where: { teamId },
    select: { provider: true, baseUrl: true, last4: true, updatedAt: true },
    orderBy: { provider: 'asc' },
  });
  return rows.map(summaryOf);
}

/** True when there was one to delete. */
export async function deleteCredential(db: Db, teamId: string, provider: ModelProvider): Promise<boolean> {
  const { count } = await db.prisma.providerCredential.deleteMany({ where: { teamId, provider } });
  return count > 0;
}

/**
 * The gateway's side: the decrypted key, or null when the team has none for this provider. Read
 * on every model call, so through the pool (about a third of a Prisma query's time here).
 */
export async function resolveCredential(db: Db, box: SecretBox, teamId: string, provider: ModelProvider): Promise<ResolvedCredential | null> {
  const { rows } = await db.pool.query<{ baseUrl: string | null; ciphertext: Buffer; iv: Buffer; authTag: Buffer; keyVersion: number }>(
    'SELECT "baseUrl", "ciphertext", "iv", "authTag", "keyVersion" FROM "ProviderCredential" WHERE "teamId" = $1 AND "provider" = $2',
    [teamId, provider],
  );
  const row = rows[0];
  if (!row) return null;
  return { apiKey: box.open(row, contextOf(teamId, provider)), baseUrl: row.baseUrl };
}

/**
 * Reseals every row not sealed with the current key (after GARRISON_SECRET_KEY changed and the
 * old key moved to GARRISON_SECRET_KEY_PREVIOUS). Each row is updated only if nobody replaced it
 * meanwhile, so a concurrent PUT is never overwritten with the old key. Rows neither key opens
 * are left as they are and counted: their keys have to be entered again.
 */
export async function rotateCredentials(db: Db, box: SecretBox): Promise<{ resealed: number; current: number; unreadable: number }> {
  const rows = await db.prisma.providerCredential.findMany({ where: { keyVersion: { not: box.keyVersion } } });
  const { resealed, unreadable } = await resealRows(
    box,
    rows,
    (row) => row,
    (row) => contextOf(row.teamId, row.provider),
    async (row, sealed) =>
      (
        await db.prisma.providerCredential.updateMany({
          where: { id: row.id, keyVersion: row.keyVersion, updatedAt: row.updatedAt },
          data: { ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.authTag, keyVersion: sealed.keyVersion },
        })
      ).count,
  );
  const current = await db.prisma.providerCredential.count({ where: { keyVersion: box.keyVersion } });
  return { resealed, current, unreadable };
}
