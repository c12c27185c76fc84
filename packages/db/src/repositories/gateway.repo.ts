import { createHash, randomBytes } from 'node:crypto';
import type { MissionStatus } from '@garrison/core';
import type { Db } from '../client.ts';

/**
 * The model gateway's rows: the per-mission token (only its sha256 is stored, so a database leak
 * grants no model access), the missions it authenticates, and the metered calls.
 */
export function hashGatewayToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Makes `token` the mission's only valid gateway token (random when not given; the worker passes
 * one it derives per attempt, see runner-spec.ts). Only its sha256 is stored; the plaintext goes
 * to the workspace only.
 */
export async function issueGatewayToken(db: Db, missionId: string, token = `gwt_${randomBytes(32).toString('base64url')}`): Promise<string> {
  await db.prisma.mission.update({ where: { id: missionId }, data: { gatewayTokenHash: hashGatewayToken(token) } });
  return token;
}

export async function revokeGatewayToken(db: Db, missionId: string): Promise<void> {
  await db.prisma.mission.updateMany({ where: { id: missionId }, data: { gatewayTokenHash: null } });
}

/** What the budget is checked against: Mission.limits minus the runner's own maxRuntimeS. */
export interface GatewayLimits {
  maxTurns?: number;
  maxCostUsd?: number;
}

export interface MissionCounters {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface GatewayMission extends MissionCounters {
  id: string;
  teamId: string;
  workspaceId: string;
  status: MissionStatus;
  limits: GatewayLimits;
}

function limitsOf(value: unknown): GatewayLimits {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const positive = (field: unknown): number | undefined => (typeof field === 'number' && Number.isFinite(field) && field > 0 ? field : undefined);
  const maxTurns = positive(raw.maxTurns);
  const maxCostUsd = positive(raw.maxCostUsd);
  return { ...(maxTurns !== undefined ? { maxTurns } : {}), ...(maxCostUsd !== undefined ? { maxCostUsd } : {}) };
}

export async function findMissionForGatewayToken(db: Db, token: string): Promise<GatewayMission | null> {
  const row = await db.prisma.mission.findUnique({
    where: { gatewayTokenHash: hashGatewayToken(token) },
    select: { id: true, teamId: true, workspaceId: true, status: true, limits: true, modelCalls: true, inputTokens: true, outputTokens: true, costUsd: true },
  });
  if (!row) return null;
  return { ...row, limits: limitsOf(row.limits), costUsd: Number(row.costUsd ?? 0) };
}

export interface ModelCallRecord {
  missionId: string;
  teamId: string;
  workspaceId: string;
  provider: string;
  /** messages | responses | chat | count_tokens | models */
  api: string;
  model: string | null;
  httpStatus: number;
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  costUsd: number;
  durationMs: number;
  /** A model turn counts towards maxTurns; count_tokens and model listings do not. */
  countsAsTurn: boolean;
}

/**
 * Inserts the call and adds it to the mission's counters in ONE statement (a data-modifying CTE
 * is atomic, and one round trip keeps the gateway's bookkeeping off the agent's critical path).
 * Returns the counters after this call, which the gateway checks against the limits at once.
 */
export async function recordModelCall(db: Db, call: ModelCallRecord): Promise<MissionCounters | null> {
  const { rows } = await db.pool.query<{ modelCalls: number; inputTokens: number; outputTokens: number; costUsd: string }>(
    `WITH call AS (
       INSERT INTO "ModelCall" ("missionId", "teamId", "workspaceId", "provider", "api", "model", "httpStatus", "inputTokens", "outputTokens", "cacheTokens", "costUsd", "durationMs")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     )
     UPDATE "Mission"
        SET "modelCalls" = "modelCalls" + $13, "inputTokens" = "inputTokens" + $8, "outputTokens" = "outputTokens" + $9,
            "costUsd" = COALESCE("costUsd", 0) + $11
      WHERE "id" = $1
      RETURNING "modelCalls", "inputTokens", "outputTokens", "costUsd"`,
    [
      call.missionId, call.teamId, call.workspaceId, call.provider, call.api, call.model, call.httpStatus,
      call.inputTokens, call.outputTokens, call.cacheTokens, call.costUsd.toFixed(6), Math.round(call.durationMs), call.countsAsTurn ? 1 : 0,
    ],
  );
  const row = rows[0];
  return row ? { modelCalls: row.modelCalls, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: Number(row.costUsd) } : null;
}

export interface UsageSum {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  costUsd: number;
}

async function sumCalls(db: Db, where: { missionId?: string; workspaceId?: string; teamId?: string; createdAt?: { gte: Date } }): Promise<UsageSum> {
  const result = await db.prisma.modelCall.aggregate({ where, _count: { _all: true }, _sum: { inputTokens: true, outputTokens: true, cacheTokens: true, costUsd: true } });
  return {
    calls: result._count._all,
    inputTokens: result._sum.inputTokens ?? 0,
    outputTokens: result._sum.outputTokens ?? 0,
    cacheTokens: result._sum.cacheTokens ?? 0,
    costUsd: Number(result._sum.costUsd ?? 0),
  };
}

export function usageForMission(db: Db, missionId: string): Promise<UsageSum> {
  return sumCalls(db, { missionId });
}

export function usageForWorkspace(db: Db, workspaceId: string, since?: Date): Promise<UsageSum> {
  return sumCalls(db, { workspaceId, ...(since ? { createdAt: { gte: since } } : {}) });
}

export function usageForTeam(db: Db, teamId: string, since?: Date): Promise<UsageSum> {
  return sumCalls(db, { teamId, ...(since ? { createdAt: { gte: since } } : {}) });
}

/** A mission's model calls as the gateway measured them, one per turn, oldest first. */
export async function listModelCalls(db: Db, missionId: string, limit = 500) {
  const rows = await db.prisma.modelCall.findMany({ where: { missionId }, orderBy: { id: 'asc' }, take: limit });
  return rows.map((row) => ({
    api: row.api,
    model: row.model,
    httpStatus: row.httpStatus,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheTokens: row.cacheTokens,
    costUsd: Number(row.costUsd),
    durationMs: row.durationMs,
    at: row.createdAt.toISOString(),
  }));
}

/** The team's usage split by workspace, biggest spender first. */
export async function usageByWorkspace(db: Db, teamId: string, since?: Date): Promise<(UsageSum & { workspaceId: string })[]> {
  const groups = await db.prisma.modelCall.groupBy({
    by: ['workspaceId'],
    where: { teamId, ...(since ? { createdAt: { gte: since } } : {}) },
    _count: { _all: true },
    _sum: { inputTokens: true, outputTokens: true, cacheTokens: true, costUsd: true },
  });
  return groups
    .map((group) => ({
      workspaceId: group.workspaceId,
      calls: group._count._all,
      inputTokens: group._sum.inputTokens ?? 0,
      outputTokens: group._sum.outputTokens ?? 0,
      cacheTokens: group._sum.cacheTokens ?? 0,
      costUsd: Number(group._sum.costUsd ?? 0),
    }))
    .sort((a, b) => b.costUsd - a.costUsd);
}
