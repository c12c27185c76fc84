'use client';

import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button, Kbd, inputClass } from './ui';

/** The box under a diff line: Ctrl/Cmd+Enter keeps the comment, Escape drops the edit. */
export function ReviewCommentEditor({ label, initial, onSave, onCancel }: { label: string; initial: string; onSave(body: string): void; onCancel(): void }) {
  const id = useId();
  const [body, setBody] = useState(initial);

  function submit(event?: FormEvent): void {
    event?.preventDefault();
    if (body.trim()) onSave(body.trim());
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-1.5 font-sans" data-testid="review-comment-editor">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <textarea id={id} className={inputClass} rows={3} value={body} onChange={(event) => setBody(event.target.value)} onKeyDown={onKeyDown} autoFocus maxLength={8000} aria-describedby={`${id}-hint`} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span id={`${id}-hint`} className="text-xs text-muted">
          <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> to keep it, <Kbd>Esc</Kbd> to cancel. Comments are sent together.
        </span>
        <div className="flex gap-2">
          <Button size="sm" onClick={onCancel}>
            Cancel
          </Button>
          <Button size="sm" type="submit" variant="primary" disabled={!body.trim()}>
            {initial ? 'Update comment' : 'Add comment'}
          </Button>
        </div>
      </div>
    </form>
  );
}
