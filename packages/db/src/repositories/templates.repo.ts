import { AGENTS_TEMPLATE_NAME, DEFAULT_TEMPLATE_NAME, type CreateTemplateBody, type NetworkPolicy } from '@garrison/core';
import type { Db } from '../client.ts';
import type { WorkspaceTemplate } from '../generated/prisma/client.ts';

/**
 * The shared default template (no team) points at this installation's workspace image. Kept in
 * step with the configuration at every start; a unique index cannot guard a NULL team, so a
 * concurrent start may briefly see two, and the oldest wins.
 */
export async function ensureDefaultTemplate(
  db: Db,
  image: string,
  limits: { memoryMb: number; cpus: number; pidsLimit: number },
): Promise<WorkspaceTemplate> {
  // `agents` is `default` with the one network hole model agents need: the model gateway.
  await ensureSharedTemplate(db, AGENTS_TEMPLATE_NAME, image, limits, 'model_only');
  return ensureSharedTemplate(db, DEFAULT_TEMPLATE_NAME, image, limits, 'none');
}

async function ensureSharedTemplate(
  db: Db,
  name: string,
  image: string,
  limits: { memoryMb: number; cpus: number; pidsLimit: number },
  networkPolicy: NetworkPolicy,
): Promise<WorkspaceTemplate> {
  const existing = await db.prisma.workspaceTemplate.findFirst({ where: { teamId: null, name }, orderBy: { createdAt: 'asc' } });
  if (existing) {
    return existing.image === image ? existing : db.prisma.workspaceTemplate.update({ where: { id: existing.id }, data: { image } });
  }
  // Limits come from the configuration once, at creation; afterwards the row is what counts.
  return db.prisma.workspaceTemplate.create({ data: { teamId: null, name, image, ...limits, networkPolicy } });
}

/** The team's templates and the shared ones. */
export function listTemplatesForTeam(db: Db, teamId: string): Promise<WorkspaceTemplate[]> {
  return db.prisma.workspaceTemplate.findMany({ where: { OR: [{ teamId }, { teamId: null }] }, orderBy: [{ teamId: 'asc' }, { name: 'asc' }] });
}

export function findTemplateForTeam(db: Db, teamId: string, templateId: string): Promise<WorkspaceTemplate | null> {
  return db.prisma.workspaceTemplate.findFirst({ where: { id: templateId, OR: [{ teamId }, { teamId: null }] } });
}

export function findDefaultTemplate(db: Db): Promise<WorkspaceTemplate | null> {
  return db.prisma.workspaceTemplate.findFirst({ where: { teamId: null, name: DEFAULT_TEMPLATE_NAME }, orderBy: { createdAt: 'asc' } });
}

export function findTemplateById(db: Db, templateId: string): Promise<WorkspaceTemplate | null> {
  return db.prisma.workspaceTemplate.findUnique({ where: { id: templateId } });
}

export function createTemplate(db: Db, teamId: string, body: CreateTemplateBody & { image: string }): Promise<WorkspaceTemplate> {
  return db.prisma.workspaceTemplate.create({
    data: {
      teamId,
      name: body.name,
      image: body.image,
      initScript: body.initScript ?? null,
      env: body.env ?? {},
      ...(body.memoryMb !== undefined ? { memoryMb: body.memoryMb } : {}),
      ...(body.cpus !== undefined ? { cpus: body.cpus } : {}),
      ...(body.pidsLimit !== undefined ? { pidsLimit: body.pidsLimit } : {}),
      // The design's default: nothing but the model gateway (nothing at all until it exists).
      networkPolicy: body.networkPolicy ?? 'model_only',
    },
  });
}
