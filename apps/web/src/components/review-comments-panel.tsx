'use client';

import Link from 'next/link';
import { useState, type KeyboardEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import { missionPath } from '../lib/paths';
import { commentKey } from '../lib/review-format';
import type { ReviewComment } from '../lib/review-types';
import { Button, ErrorNote, Kbd, Panel, inputClass } from './ui';

interface Props {
  missionId: string;
  comments: ReviewComment[];
  /** Why comments cannot be sent now (the agent cannot continue, the review is closed), or null. */
  blockedReason: string | null;
  onJump(comment: ReviewComment): void;
  onSent(): void;
}

/** The review being written: its comments in order, an optional note, and the button that sends it all to the agent. */
export function ReviewCommentsPanel({ missionId, comments, blockedReason, onJump, onSent }: Props) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);

  async function send(): Promise<void> {
    if (comments.length === 0 || blockedReason || busy) return;
    setBusy(true);
    setError(null);
    try {
      await callApi(`/missions/${encodeURIComponent(missionId)}/messages`, {
        method: 'POST',
        body: { kind: 'review', comments, ...(message.trim() ? { message: message.trim() } : {}) },
      });
      setSent(comments.length);
      setMessage('');
      onSent();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <Panel id="review-comments" title="Your review">
      {comments.length === 0 ? (
        <p className="text-sm text-muted">{blockedReason ?? 'Click a line number in the diff (or press Enter on it) to comment on that line.'}</p>
      ) : (
        <ol className="mb-3 grid gap-1 text-sm" aria-label="Comments to send">
          {comments.map((comment) => (
            <li key={commentKey(comment)} className="min-w-0">
              <button type="button" className="block w-full min-w-0 truncate rounded px-1 text-left hover:bg-subtle focus-visible:outline-2 focus-visible:outline-focus" onClick={() => onJump(comment)}>
                <span className="font-mono text-xs">
                  {comment.path}:{comment.line}
                </span>{' '}
                <span className="text-muted">{comment.body}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {comments.length > 0 ? (
        <div className="grid gap-2">
          <label htmlFor="review-message" className="text-sm font-medium">
            Note for the agent (optional)
          </label>
          <textarea id="review-message" className={inputClass} rows={2} value={message} onChange={(event) => setMessage(event.target.value)} onKeyDown={onKeyDown} maxLength={8000} />
          {blockedReason ? <p className="text-sm text-muted">{blockedReason}</p> : null}
          <Button variant="primary" busy={busy} disabled={blockedReason !== null} onClick={() => void send()}>
            {busy ? 'Sending…' : `Send ${comments.length === 1 ? 'comment' : `${comments.length} comments`} to the agent`}
          </Button>
          <span className="text-xs text-muted">
            <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> in the note sends too.
          </span>
        </div>
      ) : null}
      <ErrorNote className="mt-2">{error}</ErrorNote>
      {sent !== null && comments.length === 0 ? (
        <p className="mt-2 text-sm text-ok" role="status" data-testid="review-sent">
          Sent {sent === 1 ? 'the comment' : `${sent} comments`}: the agent continues on the same branch.{' '}
          <Link href={missionPath(missionId)} className="underline underline-offset-2">
            Follow it on the mission page
          </Link>
          .
        </p>
      ) : null}
    </Panel>
  );
}
