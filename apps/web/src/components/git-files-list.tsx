import Link from 'next/link';
import { reviewPath } from '../lib/paths';
import { CHANGE_STATUS_LABEL, CHANGE_STATUS_LETTER } from '../lib/review-format';
import type { FileChange } from '../lib/review-types';

/** A repository mission's changed files as git reports them, linking to the review. */
export function GitFilesList({ missionId, files, total }: { missionId: string; files: FileChange[]; total: number }) {
  return (
    <div data-testid="files-touched" data-source="git">
      <p className="mb-2 text-xs text-muted">From git: the mission’s branch against its base.</p>
      {files.length === 0 ? <p className="text-sm text-muted">No file changed on the branch.</p> : null}
      <ul className="grid gap-1 text-sm">
        {files.map((file) => (
          <li key={file.path} className="flex min-w-0 items-baseline gap-2" title={`${CHANGE_STATUS_LABEL[file.status]}${file.oldPath ? ` from ${file.oldPath}` : ''}`}>
            <span className="w-3 shrink-0 font-mono text-xs font-bold text-muted">{CHANGE_STATUS_LETTER[file.status]}</span>
            <code className="min-w-0 flex-1 truncate font-mono text-xs">{file.path}</code>
            <span className="shrink-0 font-mono text-xs tabular-nums">{file.binary ? 'binary' : <><span className="text-ok">+{file.additions}</span> <span className="text-danger">−{file.deletions}</span></>}</span>
          </li>
        ))}
      </ul>
      {total > files.length ? <p className="mt-2 text-xs text-muted">Showing {files.length} of {total.toLocaleString('en-US')} files.</p> : null}
      <Link href={reviewPath(missionId)} className="mt-2 inline-block text-sm text-primary underline-offset-2 hover:underline">
        Review the diff →
      </Link>
    </div>
  );
}
