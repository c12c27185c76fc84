'use client';

import { CHANGE_STATUS_LABEL, CHANGE_STATUS_LETTER } from '../lib/review-format';
import type { FileChange, ReviewComment } from '../lib/review-types';
import { Panel, cx } from './ui';

const TONE = { added: 'text-ok', deleted: 'text-danger', modified: 'text-warn', renamed: 'text-chart-1' } as const;

/** Every file the mission changed (from git), with its status and line counts; a click shows its diff. */
export function ReviewFileList({ files, loaded, commentsByPath, onOpen }: { files: FileChange[]; loaded: Set<string>; commentsByPath: Map<string, ReviewComment[]>; onOpen(path: string): void }) {
  return (
    <Panel id="review-files" title={`Files (${files.length})`}>
      {files.length === 0 ? <p className="text-sm text-muted">No file changed.</p> : null}
      <ul className="-mx-1 grid max-h-[50vh] gap-0.5 overflow-y-auto text-sm" data-testid="review-file-list">
        {files.map((file) => {
          const comments = commentsByPath.get(file.path)?.length ?? 0;
          return (
            <li key={file.path}>
              <button
                type="button"
                onClick={() => onOpen(file.path)}
                className="flex w-full min-w-0 items-baseline gap-2 rounded px-1 py-0.5 text-left hover:bg-subtle focus-visible:outline-2 focus-visible:outline-focus"
                title={`${file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ` : ''}${file.path}: ${CHANGE_STATUS_LABEL[file.status]}${loaded.has(file.path) ? '' : ' (loads its diff)'}`}
              >
                <span className={cx('w-3 shrink-0 font-mono text-xs font-bold', TONE[file.status])} aria-label={CHANGE_STATUS_LABEL[file.status]}>
                  {CHANGE_STATUS_LETTER[file.status]}
                </span>
                <span className="min-w-0 flex-1 truncate font-mono text-xs" style={{ direction: 'rtl', textAlign: 'left' }}>
                  <bdi>{file.path}</bdi>
                </span>
                {comments > 0 ? (
                  <span className="shrink-0 rounded-full bg-primary px-1.5 text-[0.7rem] text-primary-fg" title={`${comments} comment${comments === 1 ? '' : 's'} to send`}>
                    {comments}
                  </span>
                ) : null}
                {file.binary ? (
                  <span className="shrink-0 text-xs text-muted">bin</span>
                ) : (
                  <span className="shrink-0 font-mono text-xs tabular-nums">
                    <span className="text-ok">+{file.additions}</span> <span className="text-danger">−{file.deletions}</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
