import type { GatewayMission, MissionCounters } from '@garrison/db';

type Budgeted = Pick<GatewayMission, 'limits'> & MissionCounters;

export function hasBudget(mission: Pick<GatewayMission, 'limits'>): boolean {
  return mission.limits.maxTurns !== undefined || mission.limits.maxCostUsd !== undefined;
}

/**
 * Before a call: the mission may not start another once it has used its turns or its money.
 * Returns the sentence the agent's CLI shows, or null when the call may go ahead.
 */
export function budgetRefusal(mission: Budgeted): string | null {
  const { maxTurns, maxCostUsd } = mission.limits;
  if (maxTurns !== undefined && mission.modelCalls >= maxTurns) {
    return `Budget exceeded: this mission has used its ${maxTurns} model turn${maxTurns === 1 ? '' : 's'} (limit maxTurns); Garrison is stopping it.`;
  }
  if (maxCostUsd !== undefined && mission.costUsd >= maxCostUsd) {
    return `Budget exceeded: this mission has spent $${mission.costUsd.toFixed(4)} of its $${maxCostUsd} (limit maxCostUsd); Garrison is stopping it.`;
  }
  return null;
}

/**
 * After a call: past a limit already (a call's cost crossed maxCostUsd, or calls in flight together
 * went beyond maxTurns). Reaching maxTurns exactly is not over: the agent may be done, and if it
 * is not, its next call is refused and stops it then.
 */
export function isOverBudget(mission: Budgeted): boolean {
  const { maxTurns, maxCostUsd } = mission.limits;
  return (maxTurns !== undefined && mission.modelCalls > maxTurns) || (maxCostUsd !== undefined && mission.costUsd >= maxCostUsd);
}
