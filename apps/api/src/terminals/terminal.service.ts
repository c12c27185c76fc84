import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  DomainError,
  ErrorCode,
  QueueName,
  TERMINAL_LEASE_MS,
  TerminalOpenResult,
  TerminalSessionRecord,
  hostQueueName,
  operationsAllowedFrom,
  terminalLeasesKey,
  terminalSessionsKey,
  type TerminalOpenRequest,
} from '@garrison/core';
import { findWorkspaceForTeam, recordAudit, type Db, type Workspace } from '@garrison/db';
import { tokenMayWrite, type Caller } from '../auth/caller.ts';
import { requireRole } from '../auth/roles.ts';
import { RpcTimeout, type WorkspaceRpc } from '../workspaces/workspace-rpc.ts';

export interface TerminalServiceDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  rpc: WorkspaceRpc;
  terminalTimeouts: { claimTimeoutMs: number; timeoutMs: number };
}

export interface TerminalAttach {
  sessionId: string;
  attachId: string;
  reattached: boolean;
  workspace: Workspace;
}

/**
 * Checks that the caller may open a terminal in the workspace (their team's, running) and
 * decides the session: theirs to reattach when the id they kept is a live session of theirs in
 * this workspace, a new one otherwise. A session id of someone else's gets a fresh session and
 * tells nothing about theirs.
 */
export async function authorizeTerminal(deps: TerminalServiceDeps, caller: Caller, request: TerminalOpenRequest): Promise<TerminalAttach> {
  // A terminal runs commands: a read-only token may not open one (the socket bypasses the HTTP scope check).
  if (!tokenMayWrite(caller)) throw new DomainError(ErrorCode.TokenScope, 'This API token is read-only; a terminal needs a token with the "write" scope.');
  requireRole(caller, 'member', 'open a terminal');
  const workspace = await findWorkspaceForTeam(deps.db, caller.teamId, request.workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${request.workspaceId} in your team.`);
  if (workspace.status !== 'running') {
    const next = workspace.status === 'paused' ? 'resume it' : workspace.status === 'creating' ? 'wait until it is running' : 'start it';
    throw new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; ${next} to open a terminal.`, {
      status: workspace.status,
      allowedOperations: operationsAllowedFrom(workspace.status),
    });
  }
  let sessionId = request.sessionId;
  let reattached = false;
  if (sessionId) {
    const record = parseRecord(await deps.redis.hget(terminalSessionsKey(deps.redisPrefix), sessionId));
    if (record) {
      reattached = record.teamId === caller.teamId && record.userId === caller.userId && record.workspaceId === workspace.id;
      if (!reattached) sessionId = undefined;
    }
  }
  sessionId ??= randomUUID();
  const multi = deps.redis.multi();
  if (!reattached) {
    const record: TerminalSessionRecord = { workspaceId: workspace.id, teamId: caller.teamId, userId: caller.userId, hostId: workspace.workerHostId, createdAt: new Date().toISOString() };
    multi.hset(terminalSessionsKey(deps.redisPrefix), sessionId, JSON.stringify(record));
  }
  await multi.zadd(terminalLeasesKey(deps.redisPrefix), Date.now() + TERMINAL_LEASE_MS, sessionId).exec();
  return { sessionId, attachId: randomUUID(), reattached, workspace };
}

/** Asks the worker of the workspace's host to attach a TTY to the session, and records it. */
export async function attachTerminal(deps: TerminalServiceDeps, caller: Caller, attach: TerminalAttach, size: { cols: number; rows: number }, requestId?: string): Promise<void> {
  const { sessionId, attachId, workspace } = attach;
  let raw: unknown;
  try {
    raw = await deps.rpc.call(
      hostQueueName(QueueName.TerminalSessions, workspace.workerHostId),
      { sessionId, workspaceId: workspace.id, attachId, ...size },
      deps.terminalTimeouts,
    );
  } catch (error) {
    if (!(error instanceof RpcTimeout)) throw error;
    throw new DomainError(ErrorCode.ServiceUnavailable, `No worker of the host running workspace "${workspace.name}" answered; check that its worker is running, then reconnect.`);
  }
  const answer = TerminalOpenResult.parse(raw);
  if (!answer.ok) {
    throw new DomainError(answer.code === 'invalid_workspace_state' ? ErrorCode.InvalidWorkspaceState : ErrorCode.Internal, answer.message);
  }
  await recordAudit(deps.db, {
    teamId: caller.teamId,
    actorId: caller.userId,
    action: 'terminal.open',
    targetType: 'workspace',
    targetId: workspace.id,
    outcome: 'ok',
    requestId,
    metadata: { sessionId, reattached: attach.reattached },
  });
}

/**
 * Renews the leases the worker's idle sweep checks while clients are attached. `until` = now
 * starts a detached session's idle clock; 0 marks a closed one, ended by the next sweep even when
 * no worker holds an attach to end it at once.
 */
export async function renewTerminalLeases(deps: Pick<TerminalServiceDeps, 'redis' | 'redisPrefix'>, sessionIds: string[], until = Date.now() + TERMINAL_LEASE_MS): Promise<void> {
  if (sessionIds.length === 0) return;
  // XX: never bring back a session the worker already ended.
  await deps.redis.zadd(terminalLeasesKey(deps.redisPrefix), 'XX', ...sessionIds.flatMap((id) => [until, id]));
}

function parseRecord(raw: string | null): TerminalSessionRecord | null {
  if (!raw) return null;
  try {
    const parsed = TerminalSessionRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
