'use client';

import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { MissionResultPayload } from '@garrison/core';
import { formatClock, describeReason } from '../lib/format';
import type { LogBlock, OutputLine, OutputPiece } from '../lib/mission-log';
import { AgentEventRow } from './agent-event-row';
import { StatusBadge } from './status-badge';

/** How close to the bottom counts as "following" the output. */
const FOLLOW_SLACK_PX = 48;

export function describeResult(result: MissionResultPayload): string {
  switch (result.outcome) {
    case 'exited':
      if (result.exitCode !== null) return `Process exited with code ${result.exitCode}`;
      return `Process was killed by ${result.signal ?? 'an unknown signal'}`;
    case 'canceled':
      return `Canceled by ${result.canceledBy ?? 'someone'}${result.signal ? ` (${result.signal})` : ''}`;
    case 'spawn_failed':
      return `The agent could not start${result.message ? `: ${result.message}` : ''}`;
    case 'runner_lost':
      return `The runner was lost${result.message ? `: ${result.message}` : ''}`;
    case 'unresponsive':
      return `The agent went silent and was stopped${result.message ? `: ${result.message}` : ''}`;
    case 'budget_exceeded':
      return `A mission limit was reached${result.message ? `: ${result.message}` : ''}`;
  }
}

function Piece({ piece }: { piece: OutputPiece }) {
  return (
    <>
      {piece.invalidUtf8 ? (
        <span className="invalid-utf8" title="These bytes were not valid UTF-8; unreadable ones show as �.">
          invalid UTF-8
        </span>
      ) : null}
      {piece.text}
    </>
  );
}

const OutputLineRow = memo(function OutputLineRow({ line }: { line: OutputLine }) {
  const first = line.pieces[0]!;
  const title = `${formatClock(first.ts)} · ${line.stream}`;
  if (line.pieces.length === 1) {
    return (
      <div className="out-line" data-stream={line.stream} data-seq={first.seq} title={title}>
        <Piece piece={first} />
      </div>
    );
  }
  // A line the runner cut into pieces: shown whole, each piece keeping its own seq.
  return (
    <div className="out-line out-joined" data-stream={line.stream} title={`${title} · ${line.pieces.length} pieces`}>
      {line.pieces.map((piece) => (
        <span key={piece.seq} data-seq={piece.seq}>
          <Piece piece={piece} />
        </span>
      ))}
    </div>
  );
});

const Block = memo(function Block({ block }: { block: LogBlock }) {
  switch (block.kind) {
    case 'output':
      return (
        <div className="terminal">
          {block.lines.map((line) => (
            <OutputLineRow key={line.seq} line={line} />
          ))}
        </div>
      );
    case 'status': {
      const reason = describeReason(block.info.reason);
      return (
        <div className="log-row log-status" data-seq={block.seq}>
          <time dateTime={block.ts}>{formatClock(block.ts)}</time>
          <span className="log-kind">status</span>
          <span className="log-body">
            <StatusBadge status={block.info.status} />
            {reason ? <span className="muted"> {reason}</span> : null}
          </span>
        </div>
      );
    }
    case 'result': {
      const ok = block.result.outcome === 'exited' && block.result.exitCode === 0;
      return (
        <div className={`log-row log-result ${ok ? 'log-result-ok' : 'log-result-bad'}`} data-seq={block.seq}>
          <time dateTime={block.ts}>{formatClock(block.ts)}</time>
          <span className="log-kind">result</span>
          <span className="log-body">{describeResult(block.result)}</span>
        </div>
      );
    }
    case 'event':
      return <AgentEventRow event={block.event} />;
  }
});

/**
 * The rendered log. Only blocks whose object changed re-render (see MissionLog), and the view
 * follows new output while the reader is at the bottom, but stays put once they scroll up.
 */
export function EventLog({ blocks }: { blocks: readonly LogBlock[] }) {
  const container = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [showJump, setShowJump] = useState(false);

  useLayoutEffect(() => {
    const element = container.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [blocks]);

  function onScroll(): void {
    const element = container.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK_PX;
    setShowJump(!following.current);
  }

  function jumpToLatest(): void {
    const element = container.current;
    if (!element) return;
    following.current = true;
    setShowJump(false);
    element.scrollTop = element.scrollHeight;
    element.focus();
  }

  return (
    <div className="event-log-frame">
      <div
        ref={container}
        className="event-log"
        data-testid="event-log"
        role="log"
        aria-live="off"
        aria-label="Mission events"
        tabIndex={0}
        onScroll={onScroll}
      >
        {blocks.length === 0 ? <p className="log-empty muted">Waiting for the first event…</p> : null}
        {blocks.map((block) => (
          <Block key={block.key} block={block} />
        ))}
      </div>
      {showJump ? (
        <button type="button" className="button jump-latest" onClick={jumpToLatest}>
          ↓ Latest
        </button>
      ) : null}
    </div>
  );
}
