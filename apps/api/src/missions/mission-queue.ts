import type { MissionControlMessage } from '@garrison/core';

/** What the mission service needs from the queue; BullMQ sits behind it in main.ts. */
export interface MissionQueue {
  enqueueMission(missionId: string): Promise<void>;
  enqueueControl(message: MissionControlMessage): Promise<void>;
}
