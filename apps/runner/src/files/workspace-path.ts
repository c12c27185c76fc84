import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A refusal the file browser shows as is; `code` is one of FileErrorCode in packages/core. */
export class FileOpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileOpError';
  }
}

export interface ResolvedPath {
  /** The real absolute path, every symlink followed (for a missing file: through its nearest existing ancestor). */
  absolute: string;
  /** Relative to the real workspace root; '' is the root itself. */
  relative: string;
}

/**
 * The same confinement as the workspace MCP server (apps/workspace-mcp/src/workspace-paths.ts):
 * the path is resolved to a real path after following every symlink, so `..`, absolute paths and
 * links pointing out are all refused the same way. A path that does not exist yet (an upload) is
 * checked through its nearest existing ancestor.
 */
export async function resolveInWorkspace(root: string, requested: string): Promise<ResolvedPath> {
  const realRoot = await realpath(root);
  const given = requested.trim() === '' ? '.' : requested;
  const candidate = isAbsolute(given) ? resolve(given) : resolve(realRoot, given);
  let existing = candidate;
  const missingTail: string[] = [];
  for (;;) {
    try {
      existing = await realpath(existing);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new FileOpError('path_outside_workspace', `"${requested}" is a symlink loop.`);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || existing === dirname(existing)) throw error;
      missingTail.unshift(existing.slice(dirname(existing).length + 1));
      existing = dirname(existing);
    }
  }
  const absolute = resolve(existing, ...missingTail);
  const rel = relative(realRoot, absolute);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new FileOpError('path_outside_workspace', `"${requested}" is outside the workspace; give a path inside /workspace (symlinks that point out are refused too).`);
  }
  return { absolute, relative: rel };
}

/** Turns an errno from the file system into a refusal a person can act on. */
export function fileErrorOf(error: unknown, requested: string): FileOpError {
  if (error instanceof FileOpError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new FileOpError('file_not_found', `"${requested}" does not exist in the workspace.`);
    case 'ENOTDIR':
      return new FileOpError('not_a_directory', `A part of "${requested}" is a file, not a directory.`);
    case 'EISDIR':
      return new FileOpError('is_a_directory', `"${requested}" is a directory; open it to list it.`);
    case 'EACCES':
    case 'EPERM':
      return new FileOpError('permission_denied', `The workspace user (uid 1000) may not access "${requested}"; change its permissions in the terminal.`);
    case 'ENAMETOOLONG':
      return new FileOpError('invalid_input', `"${requested}" is too long a path.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileOpError('internal_error', 'The workspace volume is full; free some space and try again.');
    default:
      return new FileOpError('internal_error', `The file operation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
