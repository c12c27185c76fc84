'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LogBlock } from '../lib/mission-log';
import { Block } from './log-block';
import { ExpandedRows } from './log-row';
import { Button } from './ui';

/** How close to the end (px) still counts as reading the latest: the log follows new rows from there. */
const FOLLOW_SLACK_PX = 48;
/** Rows rendered beyond the viewport on each side: enough for a PageDown without blank frames. */
const OVERSCAN = 12;
const LINE_PX = 18;

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
