import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Request/response with the worker that runs a workspace (file operations, terminal attaches):
 * a job on a BullMQ queue whose result is the answer. The service layer sees only this port.
 */
export interface WorkspaceRpc {
  /**
   * Resolves with the worker's answer. Rejects with RpcTimeout('unclaimed') when no worker took
   * the request within `claimTimeoutMs` (it is withdrawn), or RpcTimeout('running') when the
   * answer took longer than `timeoutMs`.
   */
  call(queue: string, payload: object, timeouts: { claimTimeoutMs: number; timeoutMs: number }): Promise<unknown>;
  close(): Promise<void>;
}

/** No answer in time: `unclaimed` no worker took the job (it is withdrawn), `running` one is still at it. */
export class RpcTimeout extends Error {
  constructor(readonly state: 'unclaimed' | 'running') {
    super(`no answer from a worker (${state})`);
    this.name = 'RpcTimeout';
  }
}

interface Channel {
  queue: Queue;
  events: QueueEvents;
  eventsConnection: Redis;
}

export function createBullmqRpc(redis: Redis, prefix: string): WorkspaceRpc {
  const channels = new Map<string, Promise<Channel>>();

  const open = async (name: string): Promise<Channel> => {
    const queue = new Queue(name, { connection: redis, prefix });
    // QueueEvents reads the queue's event stream with a blocking XREAD of its own. It starts at the
    // stream's current end, read before any job of ours is added, so no answer can slip past it.
    const newest = await redis.xrevrange(`${prefix}:${name}:events`, '+', '-', 'COUNT', 1);
    const eventsConnection = redis.duplicate();
    const events = new QueueEvents(name, { connection: eventsConnection, prefix, lastEventId: newest[0]?.[0] ?? '0-0' });
    events.setMaxListeners(0);
    await events.waitUntilReady();
    return { queue, events, eventsConnection };
  };

  return {
    async call(name, payload, { claimTimeoutMs, timeoutMs }) {
      let channel = channels.get(name);
      if (!channel) {
        channel = open(name);
        channels.set(name, channel);
        channel.catch(() => channels.delete(name));
      }
      const { queue, events } = await channel;
      const job = await queue.add('rpc', payload, { attempts: 1, removeOnComplete: true, removeOnFail: true });
      let claimTimer: ReturnType<typeof setTimeout> | undefined;
      // Not taken in time: withdraw it, so a late worker never acts on a request we gave up on.
      // A job a worker took meanwhile cannot be removed, and we keep waiting for its answer.
      const unclaimed = new Promise<never>((_resolve, reject) => {
        claimTimer = setTimeout(() => {
          void job.remove().then(
            () => reject(new RpcTimeout('unclaimed')),
            () => {},
          );
        }, claimTimeoutMs);
      });
      try {
        return await Promise.race([job.waitUntilFinished(events, timeoutMs), unclaimed]);
      } catch (error) {
        if (error instanceof RpcTimeout) throw error;
        if (error instanceof Error && error.message.includes('timed out before finishing')) throw new RpcTimeout('running');
        throw error;
      } finally {
        clearTimeout(claimTimer);
      }
    },
    async close() {
      for (const pending of channels.values()) {
        const channel = await pending.catch(() => null);
        if (!channel) continue;
        await Promise.allSettled([channel.events.close(), channel.queue.close()]);
        channel.eventsConnection.disconnect();
      }
      channels.clear();
    },
  };
}
