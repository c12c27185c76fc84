'use client';

import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { HIGHLIGHT_CLASSES, highlightLine, languageOf } from '../lib/highlight';
import { CHANGE_STATUS_LABEL, CHANGE_STATUS_LETTER, commentKey, commentTarget } from '../lib/review-format';
import type { DiffFile, DiffLine, ReviewComment } from '../lib/review-types';
import { Button, cx } from './ui';
import { ReviewCommentEditor } from './review-comment-editor';

/** Files with more lines than this start folded: rendering them costs more than most reviews need. */
const FOLD_LINES = 800;

const STATUS_TONE = { added: 'text-ok', deleted: 'text-danger', modified: 'text-warn', renamed: 'text-chart-1' } as const;

type Row = { type: 'hunk'; header: string; key: string } | { type: 'line'; line: DiffLine; html: string | null; target: { side: 'new' | 'old'; line: number } | null; key: string };

interface Props {
  file: DiffFile;
  anchorId: string;
  comments: ReviewComment[];
  /** Members comment while the mission waits for review; others read. */
  canComment: boolean;
  onSave(comment: ReviewComment): void;
  onRemove(key: string): void;
}

/** One file of the diff: its status and counts, then its hunks with highlighted lines; a click on a line number comments on it. */
export const DiffFileView = memo(function DiffFileView({ file, anchorId, comments, canComment, onSave, onRemove }: Props) {
  const lineCount = useMemo(() => file.hunks.reduce((sum, hunk) => sum + hunk.lines.length, 0), [file]);
  const [open, setOpen] = useState(lineCount <= FOLD_LINES);
  const [editing, setEditing] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const rows = useMemo<Row[]>(() => {
    if (!open) return [];
    const language = languageOf(file.path);
    const out: Row[] = [];
    file.hunks.forEach((hunk, h) => {
      out.push({ type: 'hunk', header: hunk.header, key: `h${h}` });
      hunk.lines.forEach((line, l) => {
        const target = commentTarget(line);
        out.push({ type: 'line', line, html: highlightLine(line.text, language), target, key: target ? commentKey({ path: file.path, ...target }) : `h${h}l${l}` });
      });
    });
    return out;
  }, [file, open]);
  const byKey = useMemo(() => new Map(comments.map((comment) => [commentKey(comment), comment])), [comments]);
  const firstKey = rows.find((row) => row.type === 'line' && row.target)?.key ?? null;
  const rovingKey = focusKey ?? firstKey;

  function focusLine(key: string): void {
    setFocusKey(key);
    requestAnimationFrame(() => table.current?.querySelector<HTMLButtonElement>(`button[data-line-key="${CSS.escape(key)}"]`)?.focus());
  }

  // One tab stop per file; the arrows move between its lines (as in a grid), Enter opens a comment.
  function onKeyDown(event: KeyboardEvent<HTMLTableSectionElement>): void {
    const current = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-line-key]');
    if (!current || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const buttons = [...(table.current?.querySelectorAll<HTMLButtonElement>('button[data-line-key]') ?? [])];
    const index = buttons.indexOf(current);
    const next = event.key === 'ArrowDown' ? index + 1 : event.key === 'ArrowUp' ? index - 1 : event.key === 'Home' ? 0 : buttons.length - 1;
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, next))];
    if (!target) return;
    event.preventDefault();
    focusLine(target.dataset.lineKey!);
  }

  const title = file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;
  return (
    <section id={anchorId} className="scroll-mt-4 rounded-lg border border-border bg-panel" aria-label={`Changes to ${file.path}`} data-testid="diff-file" data-path={file.path}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-border px-3 py-2">
        <span className={cx('font-mono text-xs font-bold', STATUS_TONE[file.status])} title={CHANGE_STATUS_LABEL[file.status]} aria-label={CHANGE_STATUS_LABEL[file.status]}>
          {CHANGE_STATUS_LETTER[file.status]}
        </span>
        <h3 className="min-w-0 flex-1 truncate font-mono text-sm font-medium" title={title} tabIndex={-1}>
          {title}
        </h3>
        {file.binary ? null : (
          <span className="font-mono text-xs tabular-nums">
            <span className="text-ok">+{file.additions}</span> <span className="text-danger">−{file.deletions}</span>
          </span>
        )}
        {comments.length > 0 ? <span className="text-xs text-muted">{comments.length === 1 ? '1 comment' : `${comments.length} comments`}</span> : null}
        {!file.binary && lineCount > 0 ? (
          <Button size="sm" variant="quiet" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : `Show ${lineCount.toLocaleString('en-US')} lines`}
          </Button>
        ) : null}
      </header>
      {file.binary ? <p className="px-3 py-3 text-sm text-muted" data-testid="binary-file">Binary file: its content is not shown.</p> : null}
      {!file.binary && lineCount === 0 ? <p className="px-3 py-3 text-sm text-muted">No line changed (only the file’s mode or name).</p> : null}
      {open && rows.length > 0 ? (
        <div className={cx('overflow-x-auto', HIGHLIGHT_CLASSES)}>
          <table ref={table} className="w-full border-collapse font-mono text-xs leading-5">
            <tbody onKeyDown={onKeyDown}>
              {rows.map((row) => {
                if (row.type === 'hunk') {
                  return (
                    <tr key={row.key} className="bg-subtle text-muted">
                      <td colSpan={3} className="px-3 py-1 whitespace-pre">
                        {row.header}
                      </td>
                    </tr>
                  );
                }
                const { line, target } = row;
                const saved = target ? byKey.get(row.key) : undefined;
                const isEditing = editing === row.key;
                const marker = line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' ';
                const numbers = (
                  <>
                    <span className="text-right">{line.oldLine ?? ''}</span>
                    <span className="text-right">{line.newLine ?? ''}</span>
                  </>
                );
                return (
                  <LineRows
                    key={row.key}
                    kind={line.kind}
                    gutter={
                      canComment && target ? (
                        <button
                          type="button"
                          data-line-key={row.key}
                          tabIndex={row.key === rovingKey ? 0 : -1}
                          onFocus={() => setFocusKey(row.key)}
                          onClick={() => setEditing(row.key)}
                          aria-label={`Comment on ${file.path} line ${target.line}${target.side === 'old' ? ' (removed)' : ''}`}
                          className="grid w-full grid-cols-[2.75rem_2.75rem] gap-1 px-1 text-muted hover:bg-primary/15 hover:text-fg focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-focus"
                        >
                          {numbers}
                        </button>
                      ) : (
                        <span className="grid grid-cols-[2.75rem_2.75rem] gap-1 px-1 text-muted">{numbers}</span>
                      )
                    }
                    marker={marker}
                    code={row.html !== null ? <code dangerouslySetInnerHTML={{ __html: row.html }} /> : <code>{line.text}</code>}
                    below={
                      isEditing && target ? (
                        <ReviewCommentEditor
                          label={`Comment on ${file.path} line ${target.line}`}
                          initial={saved?.body ?? ''}
                          onSave={(body) => {
                            onSave({ path: file.path, line: target.line, side: target.side, body });
                            setEditing(null);
                            focusLine(row.key);
                          }}
                          onCancel={() => {
                            setEditing(null);
                            focusLine(row.key);
                          }}
                        />
                      ) : saved ? (
                        <div className="rounded-md border border-border bg-bg p-2 font-sans text-sm" data-testid="review-comment">
                          <p className="whitespace-pre-wrap">{saved.body}</p>
                          {canComment ? (
                            <div className="mt-1.5 flex gap-2">
                              <Button size="sm" variant="quiet" onClick={() => setEditing(row.key)}>
                                Edit
                              </Button>
                              <Button size="sm" variant="quiet" onClick={() => onRemove(row.key)}>
                                Delete
                              </Button>
                            </div>
                          ) : null}
                        </div>
                      ) : null
                    }
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {file.truncated ? (
        <p className="border-t border-border px-3 py-2 text-sm text-muted" data-testid="diff-truncated">
          This file’s diff is longer than the dashboard shows; the rest is on the branch.
        </p>
      ) : null}
    </section>
  );
});

const LINE_TONE = { add: 'bg-ok/10', del: 'bg-danger-bg', context: '' } as const;
const MARKER_TONE = { add: 'text-ok', del: 'text-danger', context: 'text-muted' } as const;

function LineRows({ kind, gutter, marker, code, below }: { kind: DiffLine['kind']; gutter: React.ReactNode; marker: string; code: React.ReactNode; below: React.ReactNode }) {
  return (
    <>
      <tr className={LINE_TONE[kind]} data-line-kind={kind}>
        <td className="w-0 p-0 align-top whitespace-nowrap">{gutter}</td>
        <td className={cx('w-4 px-1 align-top select-none', MARKER_TONE[kind])} aria-hidden="true">
          {marker}
        </td>
        <td className="pr-3 whitespace-pre">{code}</td>
      </tr>
      {below ? (
        <tr>
          <td colSpan={3} className="bg-subtle px-3 py-2">
            <div className="max-w-3xl">{below}</div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
