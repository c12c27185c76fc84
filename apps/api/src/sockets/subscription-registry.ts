import type { MissionEvent } from '@garrison/core';
import type { MissionSubscription } from './mission-subscription.ts';

/** Which local sockets watch which mission; live batches from Redis fan out through it. */
export class SubscriptionRegistry {
  private readonly byMission = new Map<string, Set<MissionSubscription>>();

  add(subscription: MissionSubscription): void {
    let set = this.byMission.get(subscription.missionId);
    if (!set) {
      set = new Set();
      this.byMission.set(subscription.missionId, set);
    }
    set.add(subscription);
  }

  remove(subscription: MissionSubscription): void {
    subscription.close();
    const set = this.byMission.get(subscription.missionId);
    set?.delete(subscription);
    if (set?.size === 0) this.byMission.delete(subscription.missionId);
  }

  dispatch(missionId: string, events: MissionEvent[]): void {
    for (const subscription of this.byMission.get(missionId) ?? []) subscription.onLive(events);
  }

  /** After the pub/sub connection dropped, whatever was broadcast meanwhile is only in Postgres. */
  resyncAll(): void {
    for (const set of this.byMission.values()) for (const subscription of set) subscription.resync();
  }

  get size(): number {
    let total = 0;
    for (const set of this.byMission.values()) total += set.size;
    return total;
  }
}
