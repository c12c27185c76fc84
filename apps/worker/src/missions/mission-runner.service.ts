import type { Logger } from 'pino';
import {
  MissionResultPayload,
  RUNNER_BUNDLE,
  RUNNER_EXIT_STATE_LOST,
  isTerminalStatus,
  outcomeOfLostContainer,
  outcomeOfResult,
  type MissionStatus,
} from '@garrison/core';
import {
  changeMissionStatus,
  claimQueuedMission,
  findResultEvent,
  isFreshlyRunning,
  findMissionById,
  findWorkspaceById,
  setWorkspaceStatus,
  startMissionAttempt,
  withWorkspaceLock,
} from '@garrison/db';
import type { WorkspaceOpsDeps } from '../workspaces/workspace-ops.service.ts';
import { InitScriptFailed, ensureWorkspaceReady, type ReadyWorkspace } from '../workspaces/workspace-ready.ts';
import { followRunner, type FollowOutcome } from './follow-runner.ts';
import { inspectWhenEngineAnswers } from './inspect-when-engine-answers.ts';
import type { PublishEvents } from './event-ingestor.ts';
import { buildRunnerSpec, type AgentRuntimeConfig } from './runner-spec.ts';
import { finish } from './mission-finish.ts';
import { prepareMissionWorktree } from './mission-worktree.ts';

export interface MissionRunnerDeps extends WorkspaceOpsDeps {
  publish: PublishEvents;
  /** Hurries a waiting mission's job (it is retried on a timer anyway). */
  wakeMission(missionId: string): Promise<void>;
  /** Queues a mission's next attempt (a follow-up reopened it). */
  enqueueMission(missionId: string, attempt: number, priority: number): Promise<void>;
  agents: AgentRuntimeConfig;
  /** Whether the model gateway asked to stop this mission for its budget (see budgetStopJobId). */
  budgetStopRequested?(missionId: string): Promise<boolean>;
}

/** The mission's workspace has no free slot (or older missions queue before it): wait. */
export { finish } from './mission-finish.ts';

export class WorkspaceFull extends Error {
  constructor(readonly ahead: number) {
    super(`workspace busy; ${ahead} queued ahead`);
  }
}

/** How often a follow that ended without a result is retried while the container still runs. */
const MAX_FOLLOW_RETRIES = 3;

/**
 * Takes a mission from `queued` to its terminal state. Safe to call again for the same mission
 * (a duplicate delivery, a restarted worker): the claim finds nothing to claim, the runner launch
 * is idempotent, and events are inserted idempotently, so a second call just follows the log.
 */
export async function runMission(deps: MissionRunnerDeps, missionId: string, signal: AbortSignal): Promise<void> {
  const log = deps.log.child({ missionId });
  const mission = await findMissionById(deps.db, missionId);
  if (!mission || isTerminalStatus(mission.status)) return;

  if (mission.status === 'queued') {
    const claim = await claimQueuedMission(deps.db, missionId);
    if (claim.outcome === 'wait') throw new WorkspaceFull(claim.ahead);
    if (claim.outcome === 'gone') return runMissionIfStillOpen(deps, missionId, signal);
    await deps.publish(missionId, [claim.change.event]).catch(() => {});
  }

  log.debug('mission claimed');
  const workspace = await findWorkspaceById(deps.db, mission.workspaceId);
  if (!workspace) {
    await finish(deps, missionId, { status: 'failed', reason: 'workspace_missing' });
    return;
  }

  let ready: ReadyWorkspace;
  try {
    ready = await withWorkspaceLock(deps.db, workspace.id, async () => {
      const result = await ensureWorkspaceReady(deps, workspace);
      const state = result.container;
      // The workspace lives on this host's engine from now on: its missions are this host's to follow.
      if (workspace.status !== 'running' || workspace.containerId !== state.id || workspace.workerHostId !== deps.hostId) {
        const event = await setWorkspaceStatus(deps.db, workspace.id, { status: 'running', containerId: state.id, workerHostId: deps.hostId });
        await deps.publishWorkspace(event).catch(() => {});
      }
      return result;
    });
  } catch (error) {
    log.error({ err: error }, 'workspace container could not be started');
    const message = error instanceof Error ? error.message : String(error);
    const initFailed = error instanceof InitScriptFailed;
    const statusMessage = initFailed ? message : `starting for a mission failed: ${message.slice(0, 500)}`;
    const event = await setWorkspaceStatus(deps.db, workspace.id, { status: 'error', statusMessage });
    await deps.publishWorkspace(event).catch(() => {});
    await finish(deps, missionId, { status: 'failed', reason: initFailed ? 'workspace_init_failed' : `provisioning_failed: ${message.slice(0, 200)}` });
    return;
  }

  log.debug('workspace container ready');
  const current = await findMissionById(deps.db, missionId);
  if (!current || isTerminalStatus(current.status)) return;
  if (current.status === 'provisioning') {
    if (current.cancelRequestedBy) {
      await finish(deps, missionId, { status: 'canceled', reason: `canceled_by:${current.cancelRequestedBy}` });
      return;
    }
    if (!(await setStatus(deps, missionId, 'running', null))) return runMissionIfStillOpen(deps, missionId, signal);
    await startMissionAttempt(deps.db, missionId, deps.hostId);
  }

  const worktreeProblem = current.repositoryId && !current.worktreePath
    ? await prepareMissionWorktree(deps, current, ready.container.id).catch((error: unknown) => `worktree_failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`)
    : null;
  if (worktreeProblem) {
    await finish(deps, missionId, { status: 'failed', reason: worktreeProblem });
    return;
  }

  const env = (ready.template?.env as Record<string, string> | undefined) ?? {};
  await followToEnd(deps, missionId, ready.container.id, { env, hostAddress: ready.container.hostAddress }, signal, log);
}

async function followToEnd(
  deps: MissionRunnerDeps,
  missionId: string,
  containerId: string,
  place: { env: Record<string, string>; hostAddress: string | null },
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  for (let attempt = 0; attempt <= MAX_FOLLOW_RETRIES; attempt += 1) {
    const mission = await findMissionById(deps.db, missionId);
    if (!mission || isTerminalStatus(mission.status)) return;
    // A worker that stored the result and died before the terminal status leaves only that step.
    const stored = await findResultEvent(deps.db, missionId);
    if (stored) {
      await finishFromResult(deps, missionId, stored.payload);
      return;
    }
    const mayStartAgent = await isFreshlyRunning(deps.db, missionId);
    const attempt = Math.max(1, await deps.db.prisma.missionAttempt.count({ where: { missionId } }));
    const spec = await buildRunnerSpec(deps.db, deps.agents, { mission, attempt, ...place, mayStartAgent });
    const command = ['node', RUNNER_BUNDLE, 'launch', '--after-seq', String(mission.lastSeq)];
    if (!mayStartAgent) command.push('--follow-only');
    // An exec refused by the engine (the container just stopped) is a follow that got nothing.
    const followed: FollowOutcome = await followRunner({
      ...deps,
      log,
      containerId,
      command,
      stdin: `${JSON.stringify(spec)}\n`,
      missionId,
      signal,
      onLaunched: () => forwardPendingCancel(deps, missionId, containerId, log),
      isContainerRunning: async () => (await deps.runtime.inspectWorkspaceContainer(mission.workspaceId))?.running ?? false,
    }).catch((error: unknown) => {
      log.warn({ err: error }, 'runner exec failed');
      return { result: null, exitCode: null };
    });
    if (signal.aborted) return;
    if (followed.result) {
      await finishFromResult(deps, missionId, followed.result);
      return;
    }
    if (followed.exitCode === RUNNER_EXIT_STATE_LOST) {
      await finish(deps, missionId, { status: 'interrupted', reason: 'runner_state_lost' });
      return;
    }
    const state = await inspectWhenEngineAnswers(deps.runtime, mission.workspaceId, log);
    if (!state?.running) {
      await finish(deps, missionId, outcomeOfLostContainer(state));
      return;
    }
    log.warn({ attempt, exitCode: followed.exitCode }, 'runner follow ended without a result; following again');
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  await finish(deps, missionId, { status: 'interrupted', reason: 'runner_lost' });
}

async function finishFromResult(deps: MissionRunnerDeps, missionId: string, result: Record<string, unknown>): Promise<void> {
  const parsed = MissionResultPayload.safeParse(result);
  let outcome = parsed.success ? outcomeOfResult(parsed.data) : { status: 'failed' as const, reason: 'bad_result' };
  // Refused by the gateway, the agent may give up and exit before the budget stop reaches it:
  // its exit code is then a symptom, the budget the cause.
  if (outcome.status === 'failed' && outcome.reason.startsWith('exit_code:') && (await deps.budgetStopRequested?.(missionId))) {
    outcome = { status: 'failed', reason: 'budget_exceeded' };
  }
  // The agent's session is what a follow-up resumes.
  if (parsed.success && parsed.data.sessionId) {
    await deps.db.prisma.mission.update({ where: { id: missionId }, data: { agentSessionId: parsed.data.sessionId } });
  }
  await finish(deps, missionId, outcome, parsed.success ? parsed.data.exitCode : null);
}

/** A cancel that arrived while the runner was starting is delivered once it can be. */
async function forwardPendingCancel(deps: MissionRunnerDeps, missionId: string, containerId: string, log: Logger): Promise<void> {
  const mission = await findMissionById(deps.db, missionId);
  if (mission?.cancelRequestedBy && !isTerminalStatus(mission.status)) {
    await cancelInContainer(deps, containerId, missionId, mission.cancelRequestedBy, log);
  }
}

export async function cancelInContainer(
  deps: Pick<MissionRunnerDeps, 'runtime'>,
  containerId: string,
  missionId: string,
  actor: string,
  log: Logger,
  reason?: string,
): Promise<boolean> {
  const result = await deps.runtime.execCollect(containerId, ['node', RUNNER_BUNDLE, 'cancel', missionId, '--by', actor, ...(reason ? ['--reason', reason] : [])]);
  const delivered = result.exitCode === 0 && result.stdout.includes('"ok":true');
  log.info({ missionId, delivered }, 'cancel forwarded to runner');
  return delivered;
}

async function runMissionIfStillOpen(deps: MissionRunnerDeps, missionId: string, signal: AbortSignal): Promise<void> {
  // Someone else moved the mission first (a cancel, or another worker's claim). If it is still
  // open and past provisioning, following it is harmless and keeps this delivery useful.
  const mission = await findMissionById(deps.db, missionId);
  if (!mission || isTerminalStatus(mission.status) || mission.status === 'queued') return;
  if (mission.status === 'provisioning') return;
  return runMission(deps, missionId, signal);
}

async function setStatus(deps: MissionRunnerDeps, missionId: string, to: MissionStatus, reason: string | null): Promise<boolean> {
  const change = await changeMissionStatus(deps.db, missionId, to, reason);
  if (change) await deps.publish(missionId, [change.event]).catch(() => {});
  return change !== null;
}
