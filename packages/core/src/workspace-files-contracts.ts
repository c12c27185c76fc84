import { z } from 'zod';

/**
 * The file browser: HTTP queries of `/api/v1/workspaces/:id/files*`, the `workspace-files` queue
 * the API asks a worker through, and what the worker answers. The bytes of uploads and downloads
 * never ride in a job: they wait under a short-lived Redis key whose name the job carries.
 */

/** Viewing returns at most this much of a file as JSON; downloading is for the rest. */
export const FILE_VIEW_MAX_BYTES = 1024 * 1024;
export const DEFAULT_FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_FILE_DOWNLOAD_MAX_BYTES = 50 * 1024 * 1024;
/** A listing stops here and says so; a person browsing needs no more in one directory. */
export const FILE_LIST_MAX_ENTRIES = 5000;

/** A path inside the workspace as a person gives it: relative to /workspace, or absolute inside it. */
export const WorkspacePath = z
  .string()
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => !value.includes('\0'), 'must not contain NUL bytes');

export const FilePathQuery = z.object({ path: WorkspacePath.default('') });
export type FilePathQuery = z.infer<typeof FilePathQuery>;

export const FileTargetQuery = z.object({
  path: WorkspacePath.refine((value) => value.trim() !== '' && value !== '.', 'must name a file inside the workspace'),
});
export type FileTargetQuery = z.infer<typeof FileTargetQuery>;

export const FileEntryType = z.enum(['file', 'dir', 'symlink', 'other']);

export const FileEntry = z.object({
  name: z.string(),
  type: FileEntryType,
  size: z.number().int().min(0),
  mtime: z.string(),
  /** For symlinks: what they point at, `outside` when it leaves the workspace (refused to open). */
  target: z.enum(['file', 'dir', 'other', 'outside', 'broken']).optional(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const DirectoryListing = z.object({
  /** Relative to /workspace after following links; '' is the workspace itself. */
  path: z.string(),
  entries: z.array(FileEntry),
  truncated: z.boolean(),
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;

/** Failures the worker reports as answers (never retried): each becomes an ErrorCode in the API. */
export const FileErrorCode = z.enum([
  'path_outside_workspace',
  'file_not_found',
  'is_a_directory',
  'not_a_directory',
  'not_a_file',
  'file_too_large',
  'permission_denied',
  'invalid_workspace_state',
  'invalid_input',
  'internal_error',
]);
export type FileErrorCode = z.infer<typeof FileErrorCode>;

export const WorkspaceFileJob = z.discriminatedUnion('op', [
  z.object({ op: z.literal('list'), workspaceId: z.string().min(1), path: WorkspacePath }),
  z.object({
    op: z.literal('read'),
    workspaceId: z.string().min(1),
    path: WorkspacePath,
    maxBytes: z.number().int().min(1),
    /** Refuse a larger file (download) instead of returning its first maxBytes (view). */
    whole: z.boolean(),
  }),
  z.object({
    op: z.literal('write'),
    workspaceId: z.string().min(1),
    path: WorkspacePath,
    blobKey: z.string().min(1),
    size: z.number().int().min(0),
  }),
]);
export type WorkspaceFileJob = z.infer<typeof WorkspaceFileJob>;

export const FileFailure = z.object({ ok: z.literal(false), code: FileErrorCode, message: z.string() });
export type FileFailure = z.infer<typeof FileFailure>;

export const WorkspaceFileResult = z.union([
  FileFailure,
  z.object({ ok: z.literal(true), op: z.literal('list'), listing: DirectoryListing }),
  z.object({
    ok: z.literal(true),
    op: z.literal('read'),
    path: z.string(),
    size: z.number().int().min(0),
    truncated: z.boolean(),
    /** Where the bytes wait (deleted by the reader); absent for an empty file. */
    blobKey: z.string().nullable(),
  }),
  z.object({ ok: z.literal(true), op: z.literal('write'), path: z.string(), size: z.number().int().min(0) }),
]);
export type WorkspaceFileResult = z.infer<typeof WorkspaceFileResult>;

/** How long uploaded or downloaded bytes may wait in Redis for the other side. */
export const FILE_BLOB_TTL_MS = 5 * 60_000;

export function fileBlobKey(prefix: string, id: string): string {
  return `${prefix}:file-blob:${id}`;
}

/**
 * Requests for a workspace go to the queue of the worker host that runs its container (a
 * per-host queue), or to the shared one while it has none. BullMQ forbids ':' in queue names.
 */
export function hostQueueName(base: string, hostId: string | null | undefined): string {
  return hostId ? `${base}@${hostId.replace(/[^\w.-]/g, '_')}` : base;
}
