import { posix } from 'node:path';
import { DomainError, ErrorCode, WORKSPACE_DIR } from '@garrison/core';

/**
 * A lexical first wall before any request reaches a worker: `..` that climbs out and absolute
 * paths elsewhere are refused here, so nothing is queued, read or written for them. The runner
 * still confines every path for real (symlinks included) inside the container; this only stops
 * the obvious escapes at the door. Paths arrive already percent-decoded (once) by the query parser,
 * so `%2e%2e` is `..` here and a double-encoded `%252e` stays a literal name inside the workspace.
 */
export function assertInsideWorkspace(path: string): void {
  const resolved = posix.resolve(WORKSPACE_DIR, path);
  if (resolved !== WORKSPACE_DIR && !resolved.startsWith(`${WORKSPACE_DIR}/`)) {
    throw new DomainError(ErrorCode.PathOutsideWorkspace, `"${path.slice(0, 200)}" is outside the workspace; give a path inside ${WORKSPACE_DIR} (relative paths start there).`);
  }
}
