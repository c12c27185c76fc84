import { DIFF_FILE_MAX_BYTES, type DiffFile, type DiffHunk, type FileChange } from '@garrison/core/runner-git';
import { runGit } from './git-process.ts';

const DIFF_FLAGS = ['-M', '--no-color', '--no-ext-diff', '--no-textconv'];

/** What changed between `from` and `to`, one entry per file, sorted by path. */
export async function changedFiles(cwd: string, from: string, to: string): Promise<FileChange[]> {
  const [status, numstat] = await Promise.all([
    runGit(['diff', ...DIFF_FLAGS, '--name-status', '-z', from, to], { cwd }),
    runGit(['diff', ...DIFF_FLAGS, '--numstat', '-z', from, to], { cwd }),
  ]);
  if (status.code !== 0 || numstat.code !== 0) throw new Error(`git diff failed: ${status.stderr || numstat.stderr}`);
  const counts = parseNumstat(numstat.stdout.toString('utf8'));
  const files: FileChange[] = [];
  const fields = status.stdout.toString('utf8').split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const letter = fields[i]![0];
    if (letter === 'R' || letter === 'C') {
      const oldPath = fields[i + 1]!;
      const path = fields[i + 2]!;
      i += 3;
      files.push({ path, oldPath, status: letter === 'R' ? 'renamed' : 'added', ...countOf(counts, path) });
    } else {
      const path = fields[i + 1]!;
      i += 2;
      files.push({ path, status: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified', ...countOf(counts, path) });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Counts = Map<string, { additions: number; deletions: number; binary: boolean }>;

function countOf(counts: Counts, path: string) {
  return counts.get(path) ?? { additions: 0, deletions: 0, binary: false };
}

/** `--numstat -z`: "A\tD\tpath\0", or for a rename "A\tD\t\0old\0new\0"; binary files count "-". */
function parseNumstat(text: string): Counts {
  const counts: Counts = new Map();
  const fields = text.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const [added = '0', deleted = '0', inline = ''] = fields[i]!.split('\t');
    let path = inline;
    i += 1;
    if (inline === '') {
      path = fields[i + 1]!;
      i += 2;
    }
    const binary = added === '-';
    counts.set(path, { additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
  }
  return counts;
}

/** One file's unified diff, parsed into hunks; cut at DIFF_FILE_MAX_BYTES and marked truncated. */
export async function fileDiff(cwd: string, from: string, to: string, file: FileChange): Promise<DiffFile> {
  if (file.binary) return { ...file, hunks: [] };
  const paths = file.oldPath ? [file.oldPath, file.path] : [file.path];
  const run = await runGit(['diff', ...DIFF_FLAGS, '-U3', from, to, '--', ...paths], { cwd, maxBytes: DIFF_FILE_MAX_BYTES + 1 });
  if (run.code !== 0) throw new Error(`git diff failed: ${run.stderr}`);
  const truncated = run.stdout.length > DIFF_FILE_MAX_BYTES;
  const text = run.stdout.subarray(0, DIFF_FILE_MAX_BYTES).toString('utf8');
  const hunks = parseHunks(truncated ? text.slice(0, text.lastIndexOf('\n') + 1) : text);
  return { ...file, hunks, ...(truncated ? { truncated: true } : {}) };
}

export function parseHunks(text: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  for (const raw of text.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      current = { header: raw, lines: [] };
      hunks.push(current);
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      continue;
    }
    if (!current) continue; // the file header (diff --git, index, ---, +++)
    if (raw.startsWith('+')) current.lines.push({ kind: 'add', newLine: newLine++, text: raw.slice(1) });
    else if (raw.startsWith('-')) current.lines.push({ kind: 'del', oldLine: oldLine++, text: raw.slice(1) });
    else if (raw.startsWith(' ')) current.lines.push({ kind: 'context', oldLine: oldLine++, newLine: newLine++, text: raw.slice(1) });
    // "\ No newline at end of file" and the trailing empty string carry no line.
  }
  return hunks;
}
