import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WORKSPACE_DIR } from '@garrison/core/runner-constants';
import { FileOpError, fileErrorOf, resolveInWorkspace } from './workspace-path.ts';

/**
 * `runner files list|read|write PATH` for the file browser, run by the worker over `docker exec`
 * as uid 1000, so it can reach nothing the workspace's own user cannot. Output: one JSON line
 * (`{"ok":true,...}` or `{"ok":false,"code","message"}`); `read` follows it with the raw bytes,
 * `write` takes the bytes on stdin.
 *   list PATH
 *   read PATH --max-bytes N [--whole]   --whole refuses a larger file instead of cutting it
 *   write PATH --size N                 parent directories are created; the file appears whole or not at all
 */
const LIST_MAX_ENTRIES = 5000;

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function writeLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export async function files(args: string[]): Promise<number> {
  const code = await runFileOp(args);
  // main() exits the process right after: once the pipe is full (64 KiB) stdout writes queue
  // up, and they must reach the worker first. A write's callback runs after every earlier one.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return code;
}

async function runFileOp(args: string[]): Promise<number> {
  const [op, requested = '', ...rest] = args;
  const root = process.env.GARRISON_WORKSPACE_DIR ?? WORKSPACE_DIR;
  try {
    switch (op) {
      case 'list':
        writeLine({ ok: true, ...(await listDirectory(root, requested)) });
        return 0;
      case 'read':
        await readFileOut(root, requested, Number(flag(rest, '--max-bytes') ?? 0), rest.includes('--whole'));
        return 0;
      case 'write':
        writeLine({ ok: true, ...(await writeFileIn(root, requested, Number(flag(rest, '--size') ?? -1))) });
        return 0;
      default:
        writeLine({ ok: false, code: 'invalid_input', message: 'usage: runner files list|read|write PATH' });
        return 2;
    }
  } catch (error) {
    const failure = fileErrorOf(error, requested);
    writeLine({ ok: false, code: failure.code, message: failure.message });
    return 1;
  }
}

async function listDirectory(root: string, requested: string) {
  const { absolute, relative: path } = await resolveInWorkspace(root, requested);
  if (!(await stat(absolute)).isDirectory()) {
    throw new FileOpError('not_a_directory', `"${requested}" is a file; view or download it instead.`);
  }
  const realRoot = await realpath(root);
  const dirents = await readdir(absolute, { withFileTypes: true });
  // Directories first, then by name, as a person scans a folder.
  dirents.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
  const entries = [];
  for (const dirent of dirents.slice(0, LIST_MAX_ENTRIES)) {
    const full = join(absolute, dirent.name);
    const info = await lstat(full).catch(() => null);
    if (!info) continue; // removed while we listed
    const type = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'symlink' : 'other';
    const entry: Record<string, unknown> = { name: dirent.name, type, size: info.size, mtime: info.mtime.toISOString() };
    if (type === 'symlink') entry.target = await linkTarget(realRoot, full);
    entries.push(entry);
  }
  return { path, entries, truncated: dirents.length > LIST_MAX_ENTRIES };
}

async function linkTarget(realRoot: string, link: string): Promise<string> {
  try {
    const target = await realpath(link);
    const rel = relative(realRoot, target);
    if (rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) return 'outside';
    const info = await stat(target);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch {
    return 'broken';
  }
}

async function readFileOut(root: string, requested: string, maxBytes: number, whole: boolean): Promise<void> {
  const { absolute, relative: path } = await resolveInWorkspace(root, requested);
  const info = await stat(absolute);
  if (info.isDirectory()) throw new FileOpError('is_a_directory', `"${requested}" is a directory; open it to list it.`);
  // A FIFO or device would block or never end: only regular files are read.
  if (!info.isFile()) throw new FileOpError('not_a_file', `"${requested}" is not a regular file (a pipe, socket or device).`);
  if (whole && info.size > maxBytes) {
    throw new FileOpError('file_too_large', `"${requested}" is ${info.size} bytes; downloads are limited to ${maxBytes} bytes. Split or compress it in the terminal first.`);
  }
  const length = Math.min(info.size, maxBytes);
  writeLine({ ok: true, path, size: info.size, truncated: info.size > length, length });
  if (length > 0) await pipeline(createReadStream(absolute, { start: 0, end: length - 1 }), process.stdout, { end: false });
}

async function writeFileIn(root: string, requested: string, size: number) {
  if (!Number.isInteger(size) || size < 0) throw new FileOpError('invalid_input', 'write needs --size N');
  const { absolute, relative: path } = await resolveInWorkspace(root, requested);
  if (path === '') throw new FileOpError('is_a_directory', 'Name a file inside the workspace, not the workspace itself.');
  const existing = await stat(absolute).catch(() => null);
  if (existing?.isDirectory()) throw new FileOpError('is_a_directory', `"${requested}" is a directory; choose a file name inside it.`);
  if (existing && !existing.isFile()) throw new FileOpError('not_a_file', `"${requested}" is not a regular file (a pipe, socket or device).`);
  await mkdir(dirname(absolute), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' || error.code === 'ENOTDIR' ? new FileOpError('not_a_directory', `A part of "${requested}" is a file, not a directory.`) : error;
  });
  // Written beside the target and renamed over it: a reader never sees half a file, and a
  // transfer cut short leaves the old content in place.
  const temporary = join(dirname(absolute), `.${basename(absolute)}.garrison-upload-${process.pid}`);
  let received = 0;
  try {
    const output = createWriteStream(temporary, { flags: 'wx', mode: existing ? existing.mode & 0o7777 : 0o644 });
    process.stdin.on('data', (chunk: Buffer) => (received += chunk.length));
    await pipeline(process.stdin, output);
    if (received !== size) throw new FileOpError('internal_error', `The upload arrived incomplete (${received} of ${size} bytes); nothing was written. Try again.`);
    await rename(temporary, absolute);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return { path, size: received };
}

