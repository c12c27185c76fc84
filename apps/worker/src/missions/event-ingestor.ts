import type { Logger } from 'pino';
import type { MissionEvent, RunnerEvent } from '@garrison/core';
import { applyRunnerStatus, insertEventBatch, recordAgentSession, type Db } from '@garrison/db';

export type PublishEvents = (missionId: string, events: MissionEvent[]) => Promise<void>;

const MAX_BATCH = 2000;
/** A flooding agent's events are 64 KiB pieces: a batch is cut by size too, or one insert is 128 MB. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Above this many buffered events or bytes the follower holds its exec stream instead of growing memory. */
const HIGH_WATER = 20_000;
const HIGH_WATER_BYTES = 16 * 1024 * 1024;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * Persists a mission's events in batches and publishes each batch only after it committed, so
 * a browser never sees an event Postgres does not hold. While Postgres is unreachable the batch
 * is retried in order and the follower is held back by backpressure: nothing is dropped.
 */
export class EventIngestor {
  private buffer: RunnerEvent[] = [];
  /** The size of each buffered event's line, and their sum. */
  private sizes: number[] = [];
  private bufferedBytes = 0;
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private stopped = false;
  persistedThrough = 0;

  constructor(
    private readonly db: Db,
    private readonly publish: PublishEvents,
    private readonly missionId: string,
    private readonly log: Logger,
  ) {}

  get overHighWater(): boolean {
    return this.buffer.length > HIGH_WATER || this.bufferedBytes > HIGH_WATER_BYTES;
  }

  /** `bytes`: the size of the line the event came in, a measure of what it holds in memory. */
  push(event: RunnerEvent, bytes: number): void {
    this.buffer.push(event);
    this.sizes.push(bytes);
    this.bufferedBytes += bytes;
    if (this.buffer.length >= MAX_BATCH || this.bufferedBytes >= MAX_BATCH_BYTES) void this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  /** Resolves once everything pushed so far is persisted and published. */
  async drain(): Promise<void> {
    while (this.buffer.length > 0 || this.flushing) {
      await this.flush();
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.flushAll().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async flushAll(): Promise<void> {
    while (this.buffer.length > 0 && !this.stopped) {
      const batch = this.buffer.slice(0, this.nextBatchSize());
      const inserted = await this.insertWithRetry(batch);
      this.buffer = this.buffer.slice(batch.length);
      for (const size of this.sizes.splice(0, batch.length)) this.bufferedBytes -= size;
      this.persistedThrough = Math.max(this.persistedThrough, batch[batch.length - 1]!.seq);
      for (const event of inserted) {
        if (event.type === 'mission.status') await this.applyStatus(String(event.payload.status));
        if (event.type === 'agent.session' && typeof event.payload.sessionId === 'string') {
          await recordAgentSession(this.db, this.missionId, event.payload.sessionId).catch((error: unknown) => this.log.warn({ err: error }, 'recording the agent session failed'));
        }
      }
      if (inserted.length > 0) {
        await this.publish(this.missionId, inserted).catch((error: unknown) => {
          // Clients replay from Postgres by seq, so a lost broadcast costs latency, not data.
          this.log.warn({ err: error }, 'publishing events failed');
        });
      }
    }
  }

  private nextBatchSize(): number {
    let count = 0;
    let bytes = 0;
    while (count < this.buffer.length && count < MAX_BATCH && (count === 0 || bytes + this.sizes[count]! <= MAX_BATCH_BYTES)) {
      bytes += this.sizes[count]!;
      count += 1;
    }
    return count;
  }

  /** The row follows the runner's waiting states; clients see them from the event itself. */
  private async applyStatus(status: string): Promise<void> {
    await applyRunnerStatus(this.db, this.missionId, status).catch((error: unknown) => {
      this.log.warn({ err: error, status }, 'applying the runner status failed');
    });
  }

  private async insertWithRetry(batch: RunnerEvent[]): Promise<MissionEvent[]> {
    for (let delay = RETRY_MIN_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        return await insertEventBatch(this.db, this.missionId, batch);
      } catch (error) {
        if (this.stopped) return [];
        this.log.warn({ err: error, retryInMs: delay, size: batch.length }, 'event insert failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
