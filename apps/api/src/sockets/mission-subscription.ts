import type { MissionEvent } from '@garrison/core';

export type LoadEventsAfter = (missionId: string, afterSeq: number, limit: number) => Promise<MissionEvent[]>;

const PAGE = 1000;
const RETRY_MS = 1000;

/**
 * One client's view of one mission: it receives every event after the seq it asked for exactly
 * once and in order. Postgres is replayed first while live events wait; a live event that skips
 * a seq (a lost or reordered broadcast) sends it back to Postgres for the gap. So what the client
 * holds always equals a prefix of what Postgres holds.
 *
 * Event retention deletes most events up to the mission's `prunedThroughSeq`: holes there are
 * known and final, so the replay steps over them instead of waiting for seqs that never come.
 * Above it a hole still means "not committed or not broadcast yet".
 */
export class MissionSubscription {
  private lastSent: number;
  private catchingUp = false;
  private pending: MissionEvent[] = [];
  private closed = false;
  private resyncRequested = false;

  constructor(
    readonly missionId: string,
    afterSeq: number,
    private readonly send: (event: MissionEvent) => void,
    private readonly loadAfter: LoadEventsAfter,
    private readonly prunedThroughSeq = 0,
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

  /** Replays the gap from Postgres: broadcasts may have been lost, including a mission's last ones. */
  resync(): void {
    // A replay already under way may have read Postgres before the lost events were committed.
    if (this.catchingUp) this.resyncRequested = true;
    else void this.catchUp();
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
      if (!this.follows(event.seq)) {
        this.pending.push(...events.slice(index));
        void this.catchUp();
        return;
      }
      this.send(event);
      this.lastSent = event.seq;
    }
  }

  /** True when nothing can come between the last sent event and this seq. */
  private follows(seq: number): boolean {
    return seq === this.lastSent + 1 || (seq > this.lastSent && seq <= this.prunedThroughSeq + 1);
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp || this.closed) return;
    this.catchingUp = true;
    try {
      for (;;) {
        const page = await this.loadAfter(this.missionId, this.lastSent, PAGE);
        if (this.closed) return;
        let sent = 0;
        for (const event of page) {
          if (!this.follows(event.seq)) break;
          this.send(event);
          this.lastSent = event.seq;
          sent += 1;
        }
        // A short page is the end; a hole is left to the live event that will fill it.
        if (page.length < PAGE || sent < page.length) break;
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
    if (this.resyncRequested && !this.catchingUp) {
      this.resyncRequested = false;
      void this.catchUp();
    }
  }
}
