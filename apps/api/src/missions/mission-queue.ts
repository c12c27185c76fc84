import type { MissionControlMessage } from '@garrison/core';

/** What the mission service needs from the queue; BullMQ sits behind it in main.ts. */
export interface MissionQueue {
  /** `attempt` > 1: a follow-up reopened the mission. `priority` -10..10, higher runs first (default 0). */
  enqueueMission(missionId: string, attempt?: number, priority?: number): Promise<void>;
  enqueueControl(message: MissionControlMessage): Promise<void>;
}
