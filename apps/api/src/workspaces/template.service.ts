import { AVAILABLE_NETWORK_POLICIES, DomainError, ErrorCode, type CreateTemplateBody } from '@garrison/core';
import { createTemplate, findDefaultTemplate, listTemplatesForTeam, recordAudit, type Db, type WorkspaceTemplate } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { requireRole } from '../auth/roles.ts';

export function presentTemplate(template: WorkspaceTemplate) {
  return {
    id: template.id,
    name: template.name,
    shared: template.teamId === null,
    image: template.image,
    initScript: template.initScript,
    env: template.env,
    memoryMb: template.memoryMb,
    cpus: template.cpus,
    pidsLimit: template.pidsLimit,
    networkPolicy: template.networkPolicy,
    createdAt: template.createdAt.toISOString(),
  };
}

export async function listTeamTemplates(db: Db, caller: Caller) {
  return (await listTemplatesForTeam(db, caller.teamId)).map(presentTemplate);
}

export async function createTeamTemplate(db: Db, caller: Caller, body: CreateTemplateBody, requestId: string) {
  requireRole(caller, 'admin', 'create workspace templates');
  if (body.networkPolicy && !AVAILABLE_NETWORK_POLICIES.includes(body.networkPolicy)) {
    throw new DomainError(
      ErrorCode.NetworkPolicyUnavailable,
      `Network policy "${body.networkPolicy}" is not available in this installation yet; use ${AVAILABLE_NETWORK_POLICIES.join(', ')} (workspaces then have no network).`,
    );
  }
  const image = body.image ?? (await findDefaultTemplate(db))?.image;
  if (!image) {
    throw new DomainError(ErrorCode.InvalidInput, 'No default workspace image is known yet (no worker has started); name an image.');
  }
  try {
    const template = await createTemplate(db, caller.teamId, { ...body, image });
    await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'template.create', targetType: 'template', targetId: template.id, outcome: 'ok', requestId });
    return presentTemplate(template);
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new DomainError(ErrorCode.Conflict, `A template named "${body.name}" already exists in this team; pick another name.`);
    }
    throw error;
  }
}
