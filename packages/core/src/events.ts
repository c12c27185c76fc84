import { z } from 'zod';

/**
 * One event schema shared by runner, worker, api and web. `seq` is dense from 1 per mission:
 * consumers detect gaps by it and replay from Postgres.
 */
export const EventType = z.enum([
  'mission.status',
  'agent.message',
  'agent.delta',
  'agent.thinking',
  'tool.call',
  'tool.result',
  'process.output',
  'file.changed',
  'approval.requested',
  'approval.resolved',
  'input.requested',
  'input.provided',
  'usage',
  'error',
  'mission.result',
]);
export type EventType = z.infer<typeof EventType>;

export const EventPayload = z.record(z.string(), z.unknown());
export type EventPayload = z.infer<typeof EventPayload>;

/** A line of the runner's event log on the workspace volume. */
export const RunnerEvent = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  type: EventType,
  payload: EventPayload,
});
export type RunnerEvent = z.infer<typeof RunnerEvent>;

/** What clients receive: a runner event plus the mission it belongs to. */
export const MissionEvent = RunnerEvent.extend({ missionId: z.string() });
export type MissionEvent = z.infer<typeof MissionEvent>;

export const ProcessOutputPayload = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  /** Set when an over-long line was cut: the line goes on in the next event of the same stream. */
  partial: z.boolean().optional(),
  /** Set when bytes were not valid UTF-8 and were replaced. */
  invalidUtf8: z.boolean().optional(),
});
export type ProcessOutputPayload = z.infer<typeof ProcessOutputPayload>;

export const MissionResultPayload = z.object({
  outcome: z.enum(['exited', 'canceled', 'spawn_failed', 'runner_lost']),
  canceledBy: z.string().optional(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  message: z.string().optional(),
  /** The kernel OOM-killed a process in the workspace while the agent ran (the container lives on). */
  oomKilled: z.boolean().optional(),
});
export type MissionResultPayload = z.infer<typeof MissionResultPayload>;

