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
  /** The agent CLI's session id, as soon as it says it: what a follow-up or a resume continues. */
  'agent.session',
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
  /**
   * unresponsive: the watchdog ended a silent agent. budget_exceeded: a mission limit was
   * crossed (runtime at the runner; turns and cost at the gateway, which asked for the stop).
   */
  outcome: z.enum(['exited', 'canceled', 'spawn_failed', 'runner_lost', 'unresponsive', 'budget_exceeded']),
  canceledBy: z.string().optional(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  message: z.string().optional(),
  /** The kernel OOM-killed a process in the workspace while the agent ran (the container lives on). */
  oomKilled: z.boolean().optional(),
  /** What the agent said of its own work through complete_mission, when it did. */
  declared: z.object({ status: z.enum(['completed', 'blocked', 'not_feasible']), summary: z.string() }).optional(),
  /** The agent's session, kept so a follow-up can continue it. */
  sessionId: z.string().optional(),
  /** The attempt continued an earlier session; a non-zero exit then means the resume failed. */
  resumed: z.boolean().optional(),
});
export type MissionResultPayload = z.infer<typeof MissionResultPayload>;


/**
 * Payloads of the agent events adapters produce. Text may be cut (see MAX_EVENT_TEXT_BYTES) and
 * then carries `truncated: true`.
 */
export const AgentMessagePayload = z.object({ text: z.string(), truncated: z.boolean().optional() });
export const AgentDeltaPayload = z.object({ text: z.string() });
export const AgentThinkingPayload = z.object({ text: z.string(), truncated: z.boolean().optional() });
export const ToolCallPayload = z.object({ callId: z.string(), name: z.string(), input: z.unknown() });
export const ToolResultPayload = z.object({ callId: z.string(), output: z.string(), isError: z.boolean(), truncated: z.boolean().optional() });
/** As the agent's CLI reported it; the gateway's own figures are on the mission. */
export const UsagePayload = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
  model: z.string().optional(),
});
export const ErrorPayload = z.object({ code: z.string(), message: z.string() });
export const ApprovalRequestedPayload = z.object({ approvalId: z.string(), tool: z.string(), input: z.unknown(), summary: z.string() });
export const ApprovalResolvedPayload = z.object({ approvalId: z.string(), decision: z.enum(['allow', 'deny']), by: z.string(), message: z.string().optional() });
export const InputRequestedPayload = z.object({ inputId: z.string(), question: z.string(), options: z.array(z.string()).optional() });
/** A person's text for the agent: the answer to `inputId`, or a follow-up (kind follow_up). */
export const InputProvidedPayload = z.object({
  kind: z.enum(['answer', 'follow_up']),
  text: z.string(),
  by: z.string(),
  inputId: z.string().optional(),
  messageId: z.string().optional(),
});
export type AgentMessagePayload = z.infer<typeof AgentMessagePayload>;
export type ToolCallPayload = z.infer<typeof ToolCallPayload>;
export type ToolResultPayload = z.infer<typeof ToolResultPayload>;
export type UsagePayload = z.infer<typeof UsagePayload>;
export type ApprovalRequestedPayload = z.infer<typeof ApprovalRequestedPayload>;
export type ApprovalResolvedPayload = z.infer<typeof ApprovalResolvedPayload>;
export type InputRequestedPayload = z.infer<typeof InputRequestedPayload>;
export type InputProvidedPayload = z.infer<typeof InputProvidedPayload>;
