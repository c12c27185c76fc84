import { DomainError, ErrorCode, ModelProvider, type PutCredentialBody } from '@garrison/core';
import { deleteCredential, listCredentials, putCredential, recordAudit, type CredentialSummary, type Db, type SecretBox } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

export interface CredentialServiceDeps {
  db: Db;
  secrets: SecretBox;
}

export function presentCredential(credential: CredentialSummary) {
  return { provider: credential.provider, baseUrl: credential.baseUrl, last4: credential.last4, updatedAt: credential.updatedAt.toISOString() };
}

/** The path segment names the provider; anything else is refused with the list of known ones. */
export function parseProvider(value: string): ModelProvider {
  const parsed = ModelProvider.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DomainError(ErrorCode.InvalidInput, `Unknown provider "${value.slice(0, 40)}"; use one of ${ModelProvider.options.join(', ')}.`, {
    fields: [{ field: 'provider', problem: `must be one of ${ModelProvider.options.join(', ')}` }],
  });
}

/** A team's provider keys pay for every mission of the team: owners and admins manage them. */
function requireManager(caller: Caller): void {
  if (caller.role !== 'owner' && caller.role !== 'admin') {
    throw new DomainError(ErrorCode.Forbidden, 'Only owners and admins may change provider credentials.');
  }
}

export async function listTeamCredentials(db: Db, caller: Caller) {
  return (await listCredentials(db, caller.teamId)).map(presentCredential);
}

export async function putTeamCredential(deps: CredentialServiceDeps, caller: Caller, provider: ModelProvider, body: PutCredentialBody, requestId: string) {
  requireManager(caller);
  const replaced = (await listCredentials(deps.db, caller.teamId)).some((existing) => existing.provider === provider);
  const credential = await putCredential(deps.db, deps.secrets, { teamId: caller.teamId, provider, apiKey: body.apiKey, baseUrl: body.baseUrl ?? null });
  // The audit row names the provider and endpoint, never the key (not even its last four).
  await recordAudit(deps.db, {
    teamId: caller.teamId,
    actorId: caller.userId,
    action: 'credential.put',
    targetType: 'credential',
    targetId: provider,
    outcome: 'ok',
    requestId,
    metadata: { baseUrl: credential.baseUrl, replaced },
  });
  return presentCredential(credential);
}

export async function deleteTeamCredential(db: Db, caller: Caller, provider: ModelProvider, requestId: string): Promise<void> {
  requireManager(caller);
  if (!(await deleteCredential(db, caller.teamId, provider))) {
    throw new DomainError(ErrorCode.CredentialNotFound, `This team has no ${provider} credential to delete.`);
  }
  await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'credential.delete', targetType: 'credential', targetId: provider, outcome: 'ok', requestId });
}
