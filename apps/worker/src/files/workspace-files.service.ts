import type { Logger } from 'pino';
import { z } from 'zod';
import { DirectoryListing, FileErrorCode, RUNNER_BUNDLE, type WorkspaceFileJob, type WorkspaceFileResult } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { BinaryExecResult, ContainerRuntime } from '../runtime/container-runtime.ts';
import type { BlobStore } from './blob-store.ts';

export interface WorkspaceFilesDeps {
  db: Db;
  runtime: ContainerRuntime;
  blobs: BlobStore;
  log: Logger;
  /** Bounds one exec; the API waits a little longer than this. */
  execTimeoutMs: number;
}

const Failure = z.object({ ok: z.literal(false), code: FileErrorCode, message: z.string() });
const ListAnswer = z.union([Failure, DirectoryListing.extend({ ok: z.literal(true) })]);
const ReadHeader = z.union([Failure, z.object({ ok: z.literal(true), path: z.string(), size: z.number(), truncated: z.boolean(), length: z.number() })]);
const WriteAnswer = z.union([Failure, z.object({ ok: z.literal(true), path: z.string(), size: z.number() })]);

/** A listing of 5000 entries is well under this; anything larger is not the runner speaking. */
const LIST_MAX_OUTPUT = 16 * 1024 * 1024;

/**
 * Performs one file browser operation inside the workspace container with `runner files`
 * (apps/runner/src/files), as uid 1000 and confined to /workspace there. Failures a person can
 * fix come back as `{ ok: false, code }` answers; only broken plumbing throws.
 */
export async function performFileJob(deps: WorkspaceFilesDeps, job: WorkspaceFileJob): Promise<WorkspaceFileResult> {
  const container = await deps.runtime.inspectWorkspaceContainer(job.workspaceId);
  if (!container?.running || container.paused) {
    return {
      ok: false,
      code: 'invalid_workspace_state',
      message: `The workspace's container is ${container?.paused ? 'paused' : 'not running'}; ${container?.paused ? 'resume' : 'start'} the workspace to reach its files.`,
    };
  }
  await markActive(deps, job.workspaceId);
  const run = (args: string[], options: { input?: Buffer; maxOutputBytes: number }) =>
    deps.runtime.execBinary(container.id, ['node', RUNNER_BUNDLE, 'files', ...args], { ...options, timeoutMs: deps.execTimeoutMs });

  switch (job.op) {
    case 'list': {
      const answer = parseAnswer(ListAnswer, await run(['list', job.path], { maxOutputBytes: LIST_MAX_OUTPUT }));
      if (!answer.ok) return answer;
      const { ok: _ok, ...listing } = answer;
      return { ok: true, op: 'list', listing };
    }
    case 'read': {
      const args = ['read', job.path, '--max-bytes', String(job.maxBytes), ...(job.whole ? ['--whole'] : [])];
      const result = await run(args, { maxOutputBytes: job.maxBytes + 64 * 1024 });
      const newline = result.stdout.indexOf(0x0a);
      const header = parseAnswer(ReadHeader, { ...result, stdout: newline >= 0 ? result.stdout.subarray(0, newline) : result.stdout });
      if (!header.ok) return header;
      const bytes = result.stdout.subarray(newline + 1);
      if (bytes.length !== header.length) {
        throw new Error(`runner files read returned ${bytes.length} of ${header.length} bytes`);
      }
      const blobKey = bytes.length > 0 ? await deps.blobs.put(bytes) : null;
      return { ok: true, op: 'read', path: header.path, size: header.size, truncated: header.truncated, blobKey };
    }
    case 'write': {
      const bytes = job.size === 0 ? Buffer.alloc(0) : await deps.blobs.take(job.blobKey);
      if (!bytes || bytes.length !== job.size) {
        return { ok: false, code: 'internal_error', message: 'The uploaded bytes expired before a worker took them; upload again.' };
      }
      const answer = parseAnswer(WriteAnswer, await run(['write', job.path, '--size', String(job.size)], { input: bytes, maxOutputBytes: 64 * 1024 }));
      if (!answer.ok) return answer;
      return { ok: true, op: 'write', path: answer.path, size: answer.size };
    }
  }
}

function parseAnswer<T extends z.ZodType>(schema: T, result: BinaryExecResult): z.infer<T> {
  if (result.timedOut) throw new Error('runner files timed out');
  const line = result.stdout.toString('utf8').split('\n', 1)[0] ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    // An image without `runner files` (built before the file browser) says so on stderr.
    throw new Error(`runner files gave no answer (exit ${result.exitCode}): ${result.stderr.slice(0, 300) || line.slice(0, 300)}`);
  }
  return schema.parse(json);
}

/** A person browsing files is activity: the idle reaper must not stop the workspace under them. */
async function markActive(deps: WorkspaceFilesDeps, workspaceId: string): Promise<void> {
  await deps.db.prisma.workspace
    .updateMany({ where: { id: workspaceId, status: 'running' }, data: { lastActiveAt: new Date() } })
    .catch((error: unknown) => deps.log.warn({ err: error, workspaceId }, 'lastActiveAt not updated'));
}
