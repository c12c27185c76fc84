import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { terminalLeasesKey, terminalSessionsKey } from '@garrison/core';
import { parseRecord, type TerminalSessions } from './terminal-sessions.ts';

interface SweepDeps {
  redis: Redis;
  prefix: string;
  hostId: string;
  log: Logger;
}

/**
 * Ends terminal sessions nobody attached to for `idleMs`. The API holds a lease per attached
 * session and renews it while the socket lives, so a session whose API crashed expires too.
 * Only sessions whose workspace runs on this host (or on no host yet) are this worker's to end.
 */
export async function sweepIdleTerminals(sessions: TerminalSessions, deps: SweepDeps, idleMs: number): Promise<number> {
  const leases = terminalLeasesKey(deps.prefix);
  const expiredBefore = Date.now() - idleMs;
  let ended = 0;
  for (const sessionId of await deps.redis.zrangebyscore(leases, '-inf', expiredBefore)) {
    const record = parseRecord(await deps.redis.hget(terminalSessionsKey(deps.prefix), sessionId));
    if (!record) {
      await deps.redis.zrem(leases, sessionId);
      continue;
    }
    if (record.hostId && record.hostId !== deps.hostId) continue;
    // Reattached since the range was read: leave it.
    const score = Number(await deps.redis.zscore(leases, sessionId));
    if (score > expiredBefore) continue;
    // A lease of 0 is a session its owner closed while no worker held its attach.
    await sessions.kill(sessionId, record.workspaceId, score === 0 ? 'closed' : 'idle');
    deps.log.info({ sessionId, workspaceId: record.workspaceId }, 'idle terminal session ended');
    ended += 1;
  }
  return ended;
}

export function startTerminalSweep(sessions: TerminalSessions, deps: SweepDeps, idleMs: number): () => void {
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      sweepIdleTerminals(sessions, deps, idleMs)
        .catch((error: unknown) => deps.log.error({ err: error }, 'terminal sweep failed'))
        .finally(() => {
          running = false;
        });
    },
    Math.max(1000, Math.min(60_000, Math.floor(idleMs / 4))),
  );
  return () => clearInterval(timer);
}
