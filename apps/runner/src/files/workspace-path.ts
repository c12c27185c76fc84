import { OutsideWorkspaceError, confinePath, type ConfinedPath } from '@garrison/workspace-paths';

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

export type ResolvedPath = ConfinedPath;

/** The shared confinement (packages/workspace-paths), refusals as the file browser's error. */
export async function resolveInWorkspace(root: string, requested: string): Promise<ResolvedPath> {
  try {
    return await confinePath(root, requested);
  } catch (error) {
    if (error instanceof OutsideWorkspaceError) throw new FileOpError('path_outside_workspace', error.message);
    throw error;
  }
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
