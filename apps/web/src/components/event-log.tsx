'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { MissionResultPayload } from '@garrison/core';
import { describeReason, formatClock } from '../lib/format';
import type { LogBlock, OutputLine, OutputPiece, StatusInfo } from '../lib/mission-log';
import { AgentEventRow } from './agent-event-row';
import { ExpandedRows, LogRow } from './log-row';
import { StatusBadge } from './status-badge';
import { ToolCallRow } from './tool-call-row';
import { Button, cx } from './ui';

/** How close to the end (px) still counts as reading the latest: the log follows new rows from there. */
const FOLLOW_SLACK_PX = 48;
/** Rows rendered beyond the viewport on each side: enough for a PageDown without blank frames. */
const OVERSCAN = 12;
const LINE_PX = 18;

export function describeResult(result: MissionResultPayload): string {
  switch (result.outcome) {
    case 'exited':
      if (result.exitCode !== null) return `The process exited with code ${result.exitCode}.`;
      return `The process was killed by ${result.signal ?? 'an unknown signal'}.`;
    case 'canceled':
      return `Canceled by ${result.canceledBy ?? 'someone'}${result.signal ? ` (${result.signal})` : ''}.`;
    case 'spawn_failed':
      return `The agent could not start${result.message ? `: ${result.message}` : '.'}`;
    case 'runner_lost':
      return `The runner was lost${result.message ? `: ${result.message}` : '.'}`;
    case 'unresponsive':
      return `The agent went silent and was stopped${result.message ? `: ${result.message}` : '.'}`;
    case 'budget_exceeded':
      return `A mission limit was reached${result.message ? `: ${result.message}` : '.'}`;
  }
}

/** A status change as a sentence a person would say. */
export function describeStatus(info: StatusInfo): string {
  const reason = describeReason(info.reason);
  const why = reason ? ` (${reason})` : '';
  switch (info.status) {
    case 'queued':
      if (info.reason === 'resume') return 'Queued again to resume the agent’s session.';
      if (info.reason === 'follow_up') return 'Queued again for a follow-up.';
      return 'Queued.';
    case 'provisioning':
      return 'Preparing the workspace.';
    case 'running':
      return info.previous === 'provisioning' ? 'The agent started.' : 'Running again.';
    case 'waiting_input':
      return 'Waiting for an answer from a person.';
    case 'waiting_approval':
      return 'Waiting for a person to approve a tool call.';
    case 'completed':
      return `Completed${why}.`;
    case 'failed':
      return `Failed${why}.`;
    case 'canceled':
      return `Canceled${why}.`;
    case 'blocked':
      return `Blocked${why}.`;
    case 'interrupted':
      return `Interrupted${why}.`;
  }
}

function Piece({ piece }: { piece: OutputPiece }) {
  return (
    <>
      {piece.invalidUtf8 ? (
        <span className="mr-1.5 rounded-sm bg-[#e3b341] px-1 text-[11px] text-[#1b1300]" title="These bytes were not valid UTF-8; unreadable ones show as �.">
          invalid UTF-8
        </span>
      ) : null}
      {piece.text}
    </>
  );
}

const LINE_CLASS = 'out-line min-h-[1.5em] border-l-2 border-transparent pr-3.5 pl-3 break-all whitespace-pre-wrap data-[stream=stderr]:border-[var(--log-stderr-bar)] data-[stream=stderr]:bg-[rgb(229_83_75/0.07)] data-[stream=stderr]:text-[var(--log-stderr)]';

const OutputLineRow = memo(function OutputLineRow({ line }: { line: OutputLine }) {
  const first = line.pieces[0]!;
  const title = `${formatClock(first.ts)} · ${line.stream}`;
  if (line.pieces.length === 1) {
    return (
      <div className={LINE_CLASS} data-stream={line.stream} data-seq={first.seq} title={title}>
        <Piece piece={first} />
      </div>
    );
  }
  // A line the runner cut into pieces: shown whole, each piece keeping its own seq.
  return (
    <div className={LINE_CLASS} data-stream={line.stream} title={`${title} · ${line.pieces.length} pieces`}>
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
        <div className="terminal mx-3 bg-log py-0.5 font-mono text-xs leading-[1.5] text-log-fg">
          {block.lines.map((line) => (
            <OutputLineRow key={line.seq} line={line} />
          ))}
        </div>
      );
    case 'tool':
      return <ToolCallRow block={block} />;
    case 'status':
      return (
        <LogRow seq={block.seq} ts={block.ts} kind="status" className="log-status">
          <span className="flex flex-wrap items-baseline gap-2">
            <StatusBadge status={block.info.status} />
            <span>{describeStatus(block.info)}</span>
          </span>
        </LogRow>
      );
    case 'result': {
      const ok = block.result.outcome === 'exited' && block.result.exitCode === 0;
      return (
        <LogRow seq={block.seq} ts={block.ts} kind="result" className={cx('log-result font-medium', ok ? 'text-ok' : 'text-danger')}>
          {describeResult(block.result)}
        </LogRow>
      );
    }
    case 'event':
      return <AgentEventRow event={block.event} />;
  }
});

function estimateSize(block: LogBlock | undefined): number {
  if (!block) return 28;
  switch (block.kind) {
    case 'output':
      return block.lines.length * LINE_PX + 4;
    case 'event':
      return block.event.type === 'agent.message' ? 96 : 30;
    default:
      return 30;
  }
}

/**
 * The work log, virtualized: only the rows in view (plus OVERSCAN) exist in the DOM, each
 * measured as it renders, so 50,000 events scroll like 50. It follows new rows while the reader
 * is at the end and stays put once they scroll up ("↓ Latest" brings them back). The log is
 * focusable: PageUp/PageDown/Home/End and the arrow keys scroll it.
 */
export function EventLog({ blocks, ended }: { blocks: readonly LogBlock[]; ended?: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const blocksRef = useRef(blocks);
  blocksRef.current = blocks;
  /** Reading the latest: new rows and rows that grow keep the end in view. */
  const following = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const input = useRef({ at: 0, pointerDown: false, lastTop: 0 });
  const pinScheduled = useRef(false);

  const virtualizer = useVirtualizer({
    count: blocks.length,
    getScrollElement: () => container.current,
    estimateSize: (index) => estimateSize(blocksRef.current[index]),
    getItemKey: (index) => blocksRef.current[index]?.key ?? index,
    overscan: OVERSCAN,
    // Rows near the end are measured only once they render, so the end moves as it is reached:
    // while following, scroll again (once a frame) until it holds still.
    onChange: (instance) => {
      if (!following.current || pinScheduled.current || instance.isAtEnd(1)) return;
      pinScheduled.current = true;
      requestAnimationFrame(() => {
        pinScheduled.current = false;
        if (following.current && !instance.isAtEnd(1)) instance.scrollToEnd();
      });
    },
  });

  const follow = useCallback(
    (on: boolean) => {
      following.current = on;
      setShowJump(!on);
      if (on) virtualizer.scrollToEnd();
    },
    [virtualizer],
  );

  // New events: stay at the end if that is where the reader is (a page opens there too).
  useLayoutEffect(() => {
    if (following.current && blocks.length > 0) virtualizer.scrollToEnd();
  }, [blocks, virtualizer]);

  /**
   * Only the reader stops the following: a scroll up within a second of their wheel, key, touch
   * or while they hold the scrollbar. Rows measured above the view also move scrollTop, and must
   * not. Reaching the end, by any means, follows again.
   */
  function onScroll(): void {
    const element = container.current;
    if (!element) return;
    const top = element.scrollTop;
    const moved = top - input.current.lastTop;
    input.current.lastTop = top;
    const atEnd = element.scrollHeight - top - element.clientHeight <= FOLLOW_SLACK_PX;
    const byReader = input.current.pointerDown || performance.now() - input.current.at < 1000;
    if (atEnd && !following.current) follow(true);
    else if (!atEnd && following.current && byReader && moved < 0) follow(false);
  }

  const noteInput = (): void => {
    input.current.at = performance.now();
  };

  const jumpToLatest = useCallback(() => {
    follow(true);
    container.current?.focus();
  }, [follow]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    noteInput();
    const element = container.current;
    if (!element || event.altKey || event.ctrlKey || event.metaKey) return;
    // Keys on a row's own button (Enter, Space) stay with it; these always scroll the log.
    const page = element.clientHeight * 0.9;
    const moves: Record<string, () => void> = {
      PageDown: () => virtualizer.scrollBy(page),
      PageUp: () => virtualizer.scrollBy(-page),
      Home: () => virtualizer.scrollToOffset(0),
      End: () => follow(true),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  }

  const items = virtualizer.getVirtualItems();

  return (
    <ExpandedRows>
      <div className="relative">
        <div
          ref={container}
          className="event-log h-[min(70vh,56rem)] min-h-80 overflow-y-auto overscroll-contain rounded-lg border border-border bg-panel focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus"
          data-testid="event-log"
          role="log"
          aria-live="off"
          aria-label="Mission events (PageUp, PageDown, Home and End scroll)"
          tabIndex={0}
          onKeyDown={onKeyDown}
          onScroll={onScroll}
          onWheel={noteInput}
          onTouchStart={noteInput}
          onPointerDown={() => {
            // Held on the scrollbar (released anywhere): every scroll meanwhile is the reader's.
            noteInput();
            input.current.pointerDown = true;
            const release = (): void => {
              input.current.pointerDown = false;
              noteInput();
            };
            window.addEventListener('pointerup', release, { once: true });
            window.addEventListener('pointercancel', release, { once: true });
          }}
        >
          {blocks.length === 0 ? (
            <p className="p-4 text-sm text-muted">{ended ? 'This mission has no events to show.' : 'Waiting for the first event…'}</p>
          ) : (
            <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => (
                <div key={item.key} ref={virtualizer.measureElement} data-index={item.index} className="absolute top-0 left-0 w-full" style={{ transform: `translateY(${item.start}px)` }}>
                  <Block block={blocks[item.index]!} />
                </div>
              ))}
            </div>
          )}
        </div>
        {showJump && blocks.length > 0 ? (
          <Button variant="primary" size="sm" className="absolute right-5 bottom-4 shadow-md" onClick={jumpToLatest}>
            ↓ Latest
          </Button>
        ) : null}
      </div>
    </ExpandedRows>
  );
}
