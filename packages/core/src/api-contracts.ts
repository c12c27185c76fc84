import { z } from 'zod';
import { GitBranchName } from './git-ref.ts';

/** HTTP request bodies and queries of /api/v1, validated by the API and typed for clients. */

const trimmedName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');

export const LoginBody = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'must not be empty').max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const CreateTokenBody = z.object({
  name: trimmedName,
  /** `read` alone refuses every write (non-GET) request with token_scope. */
  scopes: z
    .array(z.enum(['read', 'write']))
    .min(1, 'must name at least one scope')
    .refine((scopes) => scopes.includes('read'), 'must include read (a token that can write can also read)')
    .transform((scopes) => [...new Set(scopes)].sort())
    .default(['read', 'write']),
  expiresInDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(365, 'must be at most 365').optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const CreateWorkspaceBody = z.object({
  name: trimmedName.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may use letters, digits, spaces, dots, dashes and underscores'),
  /** The team's or a shared template; the shared `default` when left out. */
  templateId: z.string().trim().min(1).optional(),
  /** Missions that may run at once in this workspace; they share one checkout, so 1 by default. */
  maxConcurrent: z.number().int().min(1).max(20).optional(),
});
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

/** 256 KiB is far more than any prompt a person writes and keeps one request from filling a row. */
export const MAX_PROMPT_CHARS = 256 * 1024;

const promptText = z
  .string()
  .max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`)
  .refine((value) => value.trim().length > 0, 'must not be empty');

/**
 * How much an agent may do on its own. `ask`: every change (a write, a command) waits for a
 * person's approval; `auto`: anything inside the container; `read-only`: it may look, not touch.
 */
export const MissionPolicy = z.enum(['ask', 'auto', 'read-only']);
export type MissionPolicy = z.infer<typeof MissionPolicy>;
export const DEFAULT_MISSION_POLICY: MissionPolicy = 'auto';

/** A mission crossing any of these is stopped with reason `budget_exceeded`. */
export const MissionLimits = z
  .object({
    maxRuntimeS: z.number().int().min(5, 'must be at least 5 seconds').max(7 * 24 * 3600, 'must be at most a week').optional(),
    maxTurns: z.number().int().min(1, 'must be at least 1').max(10_000).optional(),
    maxCostUsd: z.number().positive('must be more than 0').max(10_000).optional(),
  })
  .strict();
export type MissionLimits = z.infer<typeof MissionLimits>;

/** Mission priorities: higher starts first; 0 when left out. */
export const MIN_MISSION_PRIORITY = -10;
export const MAX_MISSION_PRIORITY = 10;

export const CreateMissionBody = z.object({
  workspaceId: z.string().trim().min(1, 'must name a workspace'),
  agent: z.string().trim().min(1, 'must name an agent'),
  prompt: promptText,
  /** The agent's model; its default (GET /api/v1/agents) when left out. */
  model: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'must be a model name like claude-sonnet-4-5').optional(),
  policy: MissionPolicy.optional(),
  limits: MissionLimits.optional(),
  /** A workspace's queued missions start highest priority first, then oldest first. */
  priority: z
    .number({ error: 'must be a whole number from -10 to 10' })
    .int('must be a whole number from -10 to 10')
    .min(MIN_MISSION_PRIORITY, 'must be at least -10')
    .max(MAX_MISSION_PRIORITY, 'must be at most 10')
    .optional(),
  /** The mission works in its own worktree of this repository, on branch garrison/<short id> (issue 9). */
  repositoryId: z.string().trim().min(1, 'must name a repository of the workspace').optional(),
  /** Where that branch starts; the repository's default branch when left out. */
  baseBranch: GitBranchName.optional(),
});
export type CreateMissionBody = z.infer<typeof CreateMissionBody>;

export const ListEventsQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type ListEventsQuery = z.infer<typeof ListEventsQuery>;

/** ListMissionsQuery (the missions board's filters) is in mission-list-contracts.ts. */

/** A follow-up for the agent, or the answer to its question when it waits for input. */
export const PostMessageBody = z.object({ text: promptText });
export type PostMessageBody = z.infer<typeof PostMessageBody>;

export const ApprovalDecision = z.enum(['allow', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const ResolveApprovalBody = z.object({
  decision: ApprovalDecision,
  /** Told to the agent with the decision: why not, or what to do instead. */
  message: z.string().max(4000, 'must be at most 4000 characters').optional(),
});
export type ResolveApprovalBody = z.infer<typeof ResolveApprovalBody>;

export const PutCredentialBody = z.object({
  apiKey: z.string().trim().min(8, 'must be at least 8 characters').max(4096, 'must be at most 4096 characters'),
  /** Any endpoint compatible with the provider's API; the provider's own when left out. */
  baseUrl: z
    .string()
    .trim()
    .url('must be a URL like https://api.example.com')
    .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
    .optional(),
});
export type PutCredentialBody = z.infer<typeof PutCredentialBody>;

/** Resume an interrupted or failed mission's agent session; `text` is what the agent is told first. */
export const ResumeMissionBody = z.object({ text: promptText.optional() });
export type ResumeMissionBody = z.infer<typeof ResumeMissionBody>;
