import type { WorkspaceInitOutputEvent, WorkspaceStatusEvent } from '@garrison/core';
import { findDefaultTemplate, findTemplateById, type Db, type Workspace, type WorkspaceTemplate } from '@garrison/db';
import type { WorkspaceImageBuilder } from '../images/workspace-image-builder.ts';
import type { ContainerRuntime, ContainerState, WorkspaceContainerSpec } from '../runtime/container-runtime.ts';
import { isMissingImage } from '../runtime/docker-runtime.ts';

export interface WorkspaceReadyDeps {
  db: Db;
  runtime: ContainerRuntime;
  images: Pick<WorkspaceImageBuilder, 'ensure'>;
  workspaceLimits: Omit<WorkspaceContainerSpec, 'workspaceId' | 'teamId'>;
  publishWorkspace(event: WorkspaceStatusEvent | WorkspaceInitOutputEvent): Promise<void>;
  initTimeoutMs: number;
}

/** A failed init script: the workspace goes to `error` with this message and the log is kept. */
export class InitScriptFailed extends Error {}

const MAX_INIT_LOG = 256 * 1024;

/**
 * The one way a workspace becomes usable: its container from its template (image, limits, env),
 * then the template's init script once per volume. Lifecycle operations and mission provisioning
 * both come through here, so no mission ever runs in a workspace whose init has not succeeded.
 */
export interface ReadyWorkspace {
  container: ContainerState;
  /** The template it was made from, for what else needs it (the agent's env). */
  template: WorkspaceTemplate | null;
}

export async function ensureWorkspaceReady(deps: WorkspaceReadyDeps, workspace: Workspace): Promise<ReadyWorkspace> {
  const template = await templateOf(deps.db, workspace);
  const spec = containerSpecFor(deps, workspace, template);
  // The hot path never asks whether the image exists; only a create that finds it missing builds.
  const state = await deps.runtime.ensureWorkspaceContainer(spec).catch(async (error: unknown) => {
    if (!isMissingImage(error)) throw error;
    await deps.images.ensure(spec.image);
    return deps.runtime.ensureWorkspaceContainer(spec);
  });
  if (!workspace.initCompletedAt && template?.initScript?.trim()) {
    await runInitScript(deps, workspace, template, state.id);
  }
  return { container: state, template };
}

async function templateOf(db: Db, workspace: Workspace): Promise<WorkspaceTemplate | null> {
  return (workspace.templateId ? await findTemplateById(db, workspace.templateId) : null) ?? findDefaultTemplate(db);
}

function containerSpecFor(deps: WorkspaceReadyDeps, workspace: Workspace, template: WorkspaceTemplate | null): WorkspaceContainerSpec {
  const base = { ...deps.workspaceLimits, workspaceId: workspace.id, teamId: workspace.teamId };
  if (!template) return base;
  return {
    ...base,
    image: template.image,
    memoryBytes: template.memoryMb * 1024 * 1024,
    nanoCpus: Math.round(template.cpus * 1e9),
    pidsLimit: template.pidsLimit,
    env: template.env as Record<string, string>,
    networkPolicy: template.networkPolicy,
  };
}

async function runInitScript(deps: WorkspaceReadyDeps, workspace: Workspace, template: WorkspaceTemplate, containerId: string): Promise<void> {
  const seconds = Math.ceil(deps.initTimeoutMs / 1000);
  // `timeout` ends a hung script (and what it started) instead of leaving the workspace creating.
  const session = await deps.runtime.execStream(containerId, ['timeout', '--kill-after=10', String(seconds), 'bash', '-lc', template.initScript!], {
    env: { ...(template.env as Record<string, string>), GARRISON_WORKSPACE_ID: workspace.id },
  });
  session.endInput();
  let log = '';
  const onOutput = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    if (log.length < MAX_INIT_LOG) log += text.slice(0, MAX_INIT_LOG - log.length);
    void deps.publishWorkspace({ kind: 'init-output', workspaceId: workspace.id, teamId: workspace.teamId, text }).catch(() => {});
  };
  session.stdout.on('data', onOutput);
  session.stderr.on('data', onOutput);
  const exitCode = await session.exited;
  if (log.length >= MAX_INIT_LOG) log += '\n[init log truncated]';
  const succeeded = exitCode === 0;
  await deps.db.prisma.workspace.update({
    where: { id: workspace.id },
    data: { initLog: log, ...(succeeded ? { initCompletedAt: new Date() } : {}) },
  });
  if (!succeeded) {
    const why = exitCode === 124 || exitCode === 137 ? `timed out after ${seconds}s` : `exited with code ${exitCode ?? 'unknown'}`;
    throw new InitScriptFailed(`The init script ${why}; see the init log, fix the template, then start or rebuild the workspace.`);
  }
}
