import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The one path confinement of everything that touches workspace files on someone's behalf (the
 * workspace MCP server's tools, the file browser's runner command). It has no dependencies so
 * both in-container bundles carry it.
 */
export class OutsideWorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutsideWorkspaceError';
  }
}

export interface ConfinedPath {
  /** The real absolute path, every symlink followed (for a missing file: through its nearest existing ancestor). */
  absolute: string;
  /** Relative to the real workspace root; '' is the root itself. */
  relative: string;
}

/**
 * Resolves a requested path to a real path inside `root` after following every symlink, so
 * `..`, absolute paths and links pointing out are all refused the same way. A path that does not
 * exist yet (a file to write, an upload) is checked through its nearest existing ancestor.
 */
export async function confinePath(root: string, requested: string): Promise<ConfinedPath> {
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
      if (code === 'ELOOP') throw new OutsideWorkspaceError(`"${requested}" is a symlink loop.`);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || existing === dirname(existing)) throw error;
      missingTail.unshift(existing.slice(dirname(existing).length + 1));
      existing = dirname(existing);
    }
  }
  const absolute = resolve(existing, ...missingTail);
  const rel = relative(realRoot, absolute);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new OutsideWorkspaceError(`"${requested}" is outside the workspace; give a path inside ${realRoot} (symlinks that point out are refused too).`);
  }
  return { absolute, relative: rel };
}
