import type { Logger } from 'pino';
import { recordModelCall, type Db, type GatewayMission, type ModelCallRecord } from '@garrison/db';
import { isOverBudget } from './budget.ts';
import type { MissionTokens } from './mission-auth.ts';
import type { BudgetStopper } from './mission-control.ts';

type CallFacts = Omit<ModelCallRecord, 'missionId' | 'teamId' | 'workspaceId'>;

/**
 * Records each forwarded call after its answer went out (the agent never waits on bookkeeping)
 * and checks the budget with the counters the database returns. A mission's next request waits
 * for its earlier records first, so a limit reached by one call refuses the very next one.
 */
export class CallLedger {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly deps: { db: Db; tokens: MissionTokens; stopper: BudgetStopper; log: Logger }) {}

  hasPending(missionId: string): boolean {
    return this.pending.has(missionId);
  }

  async settled(missionId: string): Promise<void> {
    await this.pending.get(missionId);
  }

  record(token: string, mission: GatewayMission, call: CallFacts): void {
    const previous = this.pending.get(mission.id) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(() => this.write(token, mission, call))
      .catch((error: unknown) => this.deps.log.error({ err: error, missionId: mission.id }, 'model call could not be recorded'))
      .finally(() => {
        if (this.pending.get(mission.id) === next) this.pending.delete(mission.id);
      });
    this.pending.set(mission.id, next);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  private async write(token: string, mission: GatewayMission, call: CallFacts): Promise<void> {
    const counters = await recordModelCall(this.deps.db, { ...call, missionId: mission.id, teamId: mission.teamId, workspaceId: mission.workspaceId });
    if (!counters) return;
    this.deps.tokens.applyCounters(token, counters);
    if (isOverBudget({ limits: mission.limits, ...counters })) await this.deps.stopper.stop(mission.id);
  }
}
