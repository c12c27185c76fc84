'use client';

import { memo } from 'react';
import type { MissionResultPayload } from '@garrison/core';
import { describeReason, formatClock } from '../lib/format';
import type { LogBlock, OutputLine, OutputPiece, StatusInfo } from '../lib/mission-log';
import { AgentEventRow } from './agent-event-row';
import { LogRow } from './log-row';
import { StatusBadge } from './status-badge';
import { ToolCallRow } from './tool-call-row';
import { cx } from './ui';

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

/** One block of the log model as one row of the virtualized list. */
export const Block = memo(function Block({ block }: { block: LogBlock }) {
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
    case 'deltas':
      // The message itself follows as agent.message; while it streams, its latest words show here.
      return (
        <LogRow seq={block.seqs[0]!} ts={block.ts} kind="typing" className="log-deltas">
          <span className="block truncate text-muted" title={`${block.seqs.length} streamed part${block.seqs.length === 1 ? '' : 's'}`}>
            {block.text.length > 300 ? `…${block.text.slice(-300)}` : block.text}
          </span>
          {block.seqs.slice(1).map((seq) => (
            <span key={seq} data-seq={seq} hidden />
          ))}
        </LogRow>
      );
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
