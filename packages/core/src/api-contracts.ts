import { z } from 'zod';

/** HTTP request bodies and queries of /api/v1, validated by the API and typed for clients. */

const trimmedName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');

export const LoginBody = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'must not be empty').max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const CreateTokenBody = z.object({ name: trimmedName });
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

export const CreateMissionBody = z.object({
  workspaceId: z.string().trim().min(1, 'must name a workspace'),
  agent: z.string().trim().min(1, 'must name an agent'),
  prompt: z
    .string()
    .max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty'),
});
export type CreateMissionBody = z.infer<typeof CreateMissionBody>;

export const ListEventsQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type ListEventsQuery = z.infer<typeof ListEventsQuery>;

export const ListMissionsQuery = z.object({
  workspaceId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListMissionsQuery = z.infer<typeof ListMissionsQuery>;
