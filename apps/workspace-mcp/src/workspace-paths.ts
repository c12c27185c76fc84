import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ToolError } from './tool-result.ts';

/**
 * Resolves a path an agent gave us to a real path inside the workspace, after following every
 * symlink, so `..`, absolute paths and links pointing out are all refused the same way. A path
 * that does not exist yet (a file to write) is checked through its nearest existing ancestor.
 */
export async function resolveInWorkspace(root: string, requested: string): Promise<string> {
  const realRoot = await realpath(root);
  const candidate = isAbsolute(requested) ? resolve(requested) : resolve(realRoot, requested);
  let existing = candidate;
  const missingTail: string[] = [];
  for (;;) {
    try {
      existing = await realpath(existing);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || existing === dirname(existing)) throw error;
      missingTail.unshift(existing.slice(dirname(existing).length + 1));
      existing = dirname(existing);
    }
  }
  const resolved = resolve(existing, ...missingTail);
  if (!isInside(realRoot, resolved)) {
    throw new ToolError(`Path "${requested}" is outside the workspace.`, `Use a path inside ${realRoot}.`);
  }
  return resolved;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
