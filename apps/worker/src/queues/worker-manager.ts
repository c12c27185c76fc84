import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';

/**
 * Every BullMQ consumer of this process is registered here, so all of them share lock settings,
 * failure and stall logging, and one orderly shutdown.
 */
export class WorkerManager {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly log: Logger,
    private readonly baseOptions: Omit<WorkerOptions, 'concurrency'>,
  ) {}

  /** A processor's return value is the job's result: request/response queues answer with it. */
  register<T, R = void>(queue: string, concurrency: number, process: (job: Job<T>) => Promise<R>): Worker<T, R> {
    const worker = new Worker<T, R>(queue, process, { ...this.baseOptions, concurrency });
    worker.on('failed', (job, error) => this.log.error({ queue, jobId: job?.id, err: error }, 'job failed'));
    worker.on('stalled', (jobId) => this.log.warn({ queue, jobId }, 'job stalled; it will be taken over'));
    worker.on('error', (error) => this.log.error({ queue, err: error }, 'queue worker error'));
    this.workers.push(worker as Worker);
    return worker;
  }

  /** Stops taking jobs. With `force`, running jobs are left locked so another worker takes them over. */
  async close(force: boolean): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close(force)));
  }
}
