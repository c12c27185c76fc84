import type { MissionEvent } from '@garrison/core';

export type LoadEventsAfter = (missionId: string, afterSeq: number, limit: number) => Promise<MissionEvent[]>;

const PAGE = 1000;
const RETRY_MS = 1000;

/**
 * One client's view of one mission: it receives every event after the seq it asked for exactly
 * once and in order. Postgres is replayed first while live events wait; a live event that skips
 * a seq (a lost or reordered broadcast) sends it back to Postgres for the gap. So what the client
 * holds always equals a prefix of what Postgres holds.
 */
export class MissionSubscription {
  private lastSent: number;
  private catchingUp = false;
  private pending: MissionEvent[] = [];
  private closed = false;

  constructor(
    readonly missionId: string,
    afterSeq: number,
    private readonly send: (event: MissionEvent) => void,
    private readonly loadAfter: LoadEventsAfter,
  ) {
    this.lastSent = afterSeq;
  }

  start(): Promise<void> {
    return this.catchUp();
  }

  close(): void {
    this.closed = true;
    this.pending = [];
  }

  onLive(events: MissionEvent[]): void {
    if (this.closed) return;
    if (this.catchingUp) {
      this.pending.push(...events);
      return;
    }
    this.deliver(events);
  }

  private deliver(events: MissionEvent[]): void {
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      if (event.seq <= this.lastSent) continue;
      if (event.seq !== this.lastSent + 1) {
        this.pending.push(...events.slice(index));
        void this.catchUp();
        return;
      }
      this.send(event);
      this.lastSent = event.seq;
    }
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp || this.closed) return;
    this.catchingUp = true;
    try {
      for (;;) {
        const page = await this.loadAfter(this.missionId, this.lastSent, PAGE);
        if (this.closed) return;
        for (const event of page) {
          if (event.seq !== this.lastSent + 1) break;
          this.send(event);
          this.lastSent = event.seq;
        }
        if (page.length < PAGE) break;
      }
    } catch {
      // Postgres is briefly unreachable: keep what was sent and try the gap again shortly.
      setTimeout(() => {
        this.catchingUp = false;
        void this.catchUp();
      }, RETRY_MS).unref();
      return;
    }
    this.catchingUp = false;
    const waiting = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    this.deliver(waiting);
  }
}
