import type { MissionResultPayload } from './events.ts';
import type { MissionStatus } from './mission-status.ts';

export interface MissionOutcome {
  status: MissionStatus;
  reason: string;
}

/** Maps the runner's `mission.result` to the one terminal state the mission ends in. */
export function outcomeOfResult(result: MissionResultPayload): MissionOutcome {
  switch (result.outcome) {
    case 'canceled':
      return { status: 'canceled', reason: `canceled_by:${result.canceledBy ?? 'unknown'}` };
    case 'spawn_failed':
      return { status: 'failed', reason: 'spawn_failed' };
    case 'runner_lost':
      return { status: 'interrupted', reason: 'runner_lost' };
    case 'unresponsive':
      return { status: 'failed', reason: 'agent_unresponsive' };
    case 'budget_exceeded':
      return { status: 'failed', reason: 'budget_exceeded' };
    case 'exited':
      if (result.exitCode === 0) return outcomeOfCleanExit(result);
      if (result.resumed && result.exitCode !== null) return { status: 'failed', reason: `resume_failed:exit_code:${result.exitCode}` };
      // The agent died of, or gave up after, a kill for its memory use; the container lives on,
      // so this is the mission failing, unlike a container lost to OOM (interrupted).
      if (result.oomKilled) return { status: 'failed', reason: 'oom' };
      if (result.exitCode !== null) return { status: 'failed', reason: `exit_code:${result.exitCode}` };
      return { status: 'failed', reason: `signal:${result.signal ?? 'unknown'}` };
  }
}

/** An agent that said how its work went is believed: blocked and not feasible are not completed. */
function outcomeOfCleanExit(result: MissionResultPayload): MissionOutcome {
  switch (result.declared?.status) {
    case 'blocked':
      return { status: 'blocked', reason: 'agent_blocked' };
    case 'not_feasible':
      return { status: 'blocked', reason: 'not_feasible' };
    case 'completed':
      return { status: 'completed', reason: 'agent_completed' };
    default:
      return { status: 'completed', reason: 'exit_code:0' };
  }
}

/**
 * Why a followed mission ended when its container went away underneath it. A container stopped
 * with SIGTERM (exit 143) while its mission ran was stopped by the engine or the host shutting
 * down (Garrison never stops a workspace with an open mission); anything else is simply lost.
 */
export function outcomeOfLostContainer(state: { oomKilled: boolean; exitCode?: number | null } | null): MissionOutcome {
  if (state?.oomKilled) return { status: 'interrupted', reason: 'oom' };
  if (state?.exitCode === 143) return { status: 'interrupted', reason: 'server_shutdown' };
  return { status: 'interrupted', reason: 'container_lost' };
}
