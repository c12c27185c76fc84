import { z } from 'zod';
import { MissionStatus } from './mission-status.ts';

/** How an attempt came to run: the first dispatch, a resume of its session, or a follow-up. */
export const AttemptKind = z.enum(['start', 'resume', 'follow_up']);
export type AttemptKind = z.infer<typeof AttemptKind>;

/** GET /missions/:id/attempts: one row per start of the mission's agent. */
export const MissionAttemptView = z.object({
  number: z.number().int().positive(),
  /** Null when event retention deleted what said so. */
  kind: AttemptKind.nullable(),
  /** The status the attempt ended in; the mission's current status while it runs. */
  status: MissionStatus,
  reason: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type MissionAttemptView = z.infer<typeof MissionAttemptView>;

export const FileOperation = z.enum(['write', 'edit', 'delete']);
export type FileOperation = z.infer<typeof FileOperation>;

/**
 * GET /missions/:id/files: a file the agent's tool calls wrote or edited. Derived from the stored
 * tool.call events, so it says what the agent asked for, not what git sees.
 */
export const MissionFileTouch = z.object({
  path: z.string(),
  /** The latest call's operation. */
  operation: FileOperation,
  count: z.number().int().positive(),
  /** Calls whose result came back as an error. */
  failed: z.number().int().nonnegative(),
  lastSeq: z.number().int().positive(),
});
export type MissionFileTouch = z.infer<typeof MissionFileTouch>;

export const MAX_MISSION_FILES_PAGE = 500;

export const ListMissionFilesQuery = z.object({
  /** Paths sort by name; a page starts after this one. */
  after: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_MISSION_FILES_PAGE).default(200),
});
export type ListMissionFilesQuery = z.infer<typeof ListMissionFilesQuery>;

type Input = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const one = (path: unknown, operation: FileOperation) => (text(path) ? [{ path: text(path)!, operation }] : []);

/**
 * File-editing tools as the event log names them (see packages/agents' parsers): the workspace
 * MCP's, Claude Code's, Codex's apply_patch, and OpenCode's and pi's built-ins. Each reads its
 * input into the paths it touches.
 */
export const FILE_EDIT_TOOLS: Record<string, (input: Input) => Array<{ path: string; operation: FileOperation }>> = {
  mcp__garrison__write_file: (input) => one(input.path, 'write'),
  mcp__garrison__edit_file: (input) => one(input.path, 'edit'),
  Write: (input) => one(input.file_path, 'write'),
  Edit: (input) => one(input.file_path, 'edit'),
  MultiEdit: (input) => one(input.file_path, 'edit'),
  NotebookEdit: (input) => one(input.notebook_path, 'edit'),
  write: (input) => one(input.filePath ?? input.path, 'write'),
  edit: (input) => one(input.filePath ?? input.path, 'edit'),
  apply_patch: (input) =>
    (Array.isArray(input.changes) ? input.changes : []).flatMap((change: Input) =>
      one(change?.path, change?.kind === 'add' ? 'write' : change?.kind === 'delete' ? 'delete' : 'edit'),
    ),
};
