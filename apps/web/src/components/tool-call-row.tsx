'use client';

import { memo } from 'react';
import type { ToolBlock } from '../lib/mission-log';
import { MAX_TEXT_CHARS, Disclosure, LogRow, clip, useExpanded } from './log-row';
import { cx } from './ui';

const MCP_NAME = /^mcp__([^_]+(?:_[^_]+)*)__(.+)$/;

/** `mcp__garrison__write_file` reads as `write_file` from `garrison`; other tools keep their name. */
export function toolLabel(name: string): { tool: string; server: string | null } {
  const match = MCP_NAME.exec(name);
  return match ? { tool: match[2]!, server: match[1]! } : { tool: name, server: null };
}

/** One line of what a tool was asked to do: the command, the path, or the first fields. */
export function inputSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return String(input ?? '');
  const fields = input as Record<string, unknown>;
  for (const key of ['command', 'cmd', 'path', 'file_path', 'filePath', 'notebook_path', 'pattern', 'query', 'question', 'url']) {
    if (typeof fields[key] === 'string') return clip((fields[key] as string).split('\n')[0] ?? '', 200);
  }
  return clip(JSON.stringify(input), 200);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A tool call as a line of work: name, what it was asked, how long it took (call to result) and
 * whether it failed. Its full input and output are one click away and rendered only when open.
 */
export const ToolCallRow = memo(function ToolCallRow({ block }: { block: ToolBlock }) {
  const [open, toggle] = useExpanded(block.key);
  const { call, result } = block;
  const label = toolLabel(call.name);
  const state = result ? (result.isError ? 'error' : 'ok') : 'running';
  const duration = result ? formatMs(Date.parse(result.ts) - Date.parse(block.ts)) : '';
  const bodyId = `tool-${block.seq}`;
  return (
    <LogRow seq={block.seq} ts={block.ts} kind="tool" className={cx('log-tool-call', state === 'error' && 'bg-danger-bg/60')} data-call-id={call.callId} data-state={state}>
      <Disclosure open={open} onToggle={toggle} controls={bodyId}>
        <strong className="shrink-0 font-mono text-[0.82rem] font-semibold" title={call.name}>
          {label.tool}
        </strong>
        {label.server ? <span className="shrink-0 text-xs text-muted">{label.server}</span> : null}
        <code className="min-w-0 flex-1 truncate font-mono text-xs text-muted">{inputSummary(call.input)}</code>
        <span
          className={cx('shrink-0 text-xs tabular-nums', state === 'error' ? 'font-semibold text-danger' : state === 'ok' ? 'text-muted' : 'text-warn')}
          data-seq={block.resultInRow ? result?.seq : undefined}
        >
          {state === 'running' ? 'running…' : state === 'error' ? `failed · ${duration}` : duration}
        </span>
      </Disclosure>
      {open ? (
        <div id={bodyId} className="mt-1.5 mb-1 grid gap-2">
          <ToolText title="Input" text={JSON.stringify(call.input, null, 2) ?? 'null'} />
          {result ? (
            <ToolText title={result.isError ? 'Error output' : 'Output'} text={result.output || '(no output)'} truncated={result.truncated} error={result.isError} />
          ) : (
            <p className="text-xs text-muted">No result yet.</p>
          )}
        </div>
      ) : null}
    </LogRow>
  );
});

export function ToolText({ title, text, truncated, error }: { title: string; text: string; truncated?: boolean; error?: boolean }) {
  return (
    <div>
      <p className={cx('mb-0.5 text-xs font-medium', error ? 'text-danger' : 'text-muted')}>
        {title}
        {truncated ? ' (cut to fit the log)' : ''}
      </p>
      <pre className="max-h-96 overflow-auto rounded-md bg-log p-2 font-mono text-xs leading-relaxed whitespace-pre-wrap text-log-fg">{clip(text, MAX_TEXT_CHARS)}</pre>
    </div>
  );
}
