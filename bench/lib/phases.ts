import type { MissionEvent } from '@garrison/core';
import { tsMs } from './clock.ts';

/** When each step of a mission happened, from its own events (API, worker and runner clocks: one host). */
export interface MissionTimes {
  queued: number;
  provisioning: number;
  running: number;
  firstOutput: number | null;
  result: number | null;
  terminal: number | null;
}

export function missionTimes(events: readonly MissionEvent[]): MissionTimes {
  const status = (name: string) => events.find((e) => e.type === 'mission.status' && e.payload.status === name);
  const at = (event: MissionEvent | undefined) => (event ? tsMs(event.ts) : null);
  const terminal = events.find((e) => e.type === 'mission.status' && ['completed', 'failed', 'canceled', 'interrupted', 'blocked'].includes(e.payload.status as string));
  const times = {
    queued: at(status('queued')),
    provisioning: at(status('provisioning')),
    running: at(status('running')),
    firstOutput: at(events.find((e) => e.type === 'process.output')),
    result: at(events.find((e) => e.type === 'mission.result')),
    terminal: at(terminal),
  };
  if (times.queued === null || times.provisioning === null || times.running === null) {
    throw new Error(`bench: mission ${events[0]?.missionId} lacks its queued/provisioning/running events`);
  }
  return times as MissionTimes;
}

/**
 * Where the time from POST to the first output at a client goes, step by step. Each step ends at
 * the event that closes it; `delivery` is runner write -> worker follow -> Postgres -> Redis ->
 * API -> socket.
 */
export function dispatchPhases(postedAt: number, times: MissionTimes, receivedAt: number) {
  return {
    api_accept: times.queued - postedAt,
    queue_to_claim: times.provisioning - times.queued,
    container_ready: times.running - times.provisioning,
    runner_to_first_output: (times.firstOutput ?? NaN) - times.running,
    delivery_to_client: receivedAt - (times.firstOutput ?? NaN),
  };
}
