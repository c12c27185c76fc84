import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName, budgetStopJobId, type MissionControlMessage } from '@garrison/core';

/** How long a sent stop is remembered in Redis; its jobId makes a second add within that a no-op. */
const REMEMBER_S = 7 * 24 * 3600;

export interface BudgetStopper {
  /** Asks whichever worker follows the mission to stop it (reason budget_exceeded), once. Never rejects. */
  stop(missionId: string): Promise<void>;
  close(): Promise<void>;
}

/** The gateway's only message to the worker, on the mission-control queue the API also uses. */
export function createBudgetStopper(redis: Redis, prefix: string, log: Logger): BudgetStopper {
  const queue = new Queue(QueueName.MissionControl, { connection: redis, prefix });
  const sent = new Map<string, Promise<void>>();
  const send = async (missionId: string): Promise<void> => {
    const message: MissionControlMessage = { missionId, action: 'cancel', actor: 'gateway', reason: 'budget_exceeded' };
    try {
      await queue.add('cancel', message, { jobId: budgetStopJobId(missionId), removeOnComplete: { age: REMEMBER_S }, removeOnFail: { age: REMEMBER_S } });
      log.info({ missionId }, 'budget exceeded: mission stop requested');
    } catch (error) {
      sent.delete(missionId);
      log.error({ err: error, missionId }, 'budget exceeded, but the stop could not be queued; the next call tries again');
    }
  };
  return {
    stop(missionId) {
      const pending = sent.get(missionId);
      if (pending) return pending;
      if (sent.size >= 10_000) sent.clear();
      const sending = send(missionId);
      sent.set(missionId, sending);
      return sending;
    },
    close: () => queue.close(),
  };
}
