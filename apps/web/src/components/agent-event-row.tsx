'use client';

import { memo } from 'react';
import type { MissionEvent } from '@garrison/core';
import { MAX_TEXT_CHARS, Disclosure, LogRow, clip, useExpanded } from './log-row';
import { MarkdownText } from './markdown-text';
import { ToolText, toolLabel } from './tool-call-row';

function text(payload: Record<string, unknown>, key: string): string {
  return typeof payload[key] === 'string' ? (payload[key] as string) : '';
}

/**
 * An agent's event as a line of its work log: messages as markdown, thinking collapsed, people's
 * decisions and questions as sentences. Tool calls have their own row (ToolCallRow); a result
 * shows here only when other events came between it and its call.
 */
export const AgentEventRow = memo(function AgentEventRow({ event }: { event: MissionEvent }) {
  const { payload, type, seq, ts } = event;
  switch (type) {
    case 'agent.message':
      return (
        <LogRow seq={seq} ts={ts} kind="agent" className="log-agent-message py-2">
          <MarkdownText text={clip(text(payload, 'text'), MAX_TEXT_CHARS)} />
        </LogRow>
      );
    case 'agent.delta':
      return (
        <LogRow seq={seq} ts={ts} kind="typing">
          <span className="text-muted">{clip(text(payload, 'text'), 400)}</span>
        </LogRow>
      );
    case 'agent.thinking':
      return <ThinkingRow event={event} />;
    case 'tool.call':
    case 'tool.result':
      return <ToolEventRow event={event} />;
    case 'usage': {
      const cost = typeof payload.costUsd === 'number' ? ` · $${payload.costUsd.toFixed(4)}` : '';
      return sentence(event, 'usage', `${String(payload.inputTokens ?? 0)} tokens in · ${String(payload.outputTokens ?? 0)} out${cost}`, 'text-muted');
    }
    case 'approval.requested':
      return sentence(event, 'approval', `Asks to run ${text(payload, 'tool')}: ${text(payload, 'summary')}`, 'text-warn');
    case 'approval.resolved':
      return sentence(event, 'decision', `${payload.decision === 'allow' ? 'Allowed' : 'Denied'} by ${text(payload, 'by')}${text(payload, 'message') ? `: ${text(payload, 'message')}` : ''}.`);
    case 'input.requested':
      return sentence(event, 'question', `The agent asks: ${text(payload, 'question')}`, 'text-warn');
    case 'input.provided':
      return sentence(event, payload.kind === 'answer' ? 'answer' : 'follow-up', `${text(payload, 'by')} ${payload.kind === 'answer' ? 'answered' : 'wrote'}: ${clip(text(payload, 'text'), MAX_TEXT_CHARS)}`);
    case 'agent.session':
      return sentence(event, 'session', `The agent's session is ${text(payload, 'sessionId')}.`, 'text-muted');
    case 'error':
      return sentence(event, 'error', `${text(payload, 'message')} (${text(payload, 'code')})`, 'text-danger');
    default:
      return (
        <LogRow seq={seq} ts={ts} kind={type}>
          <code className="font-mono text-xs break-all">{clip(JSON.stringify(payload), 4000)}</code>
        </LogRow>
      );
  }
});

function ThinkingRow({ event }: { event: MissionEvent }) {
  const [open, toggle] = useExpanded(`e${event.seq}`);
  const body = text(event.payload, 'text');
  const id = `thinking-${event.seq}`;
  return (
    <LogRow seq={event.seq} ts={event.ts} kind="thinking" className="log-thinking">
      <Disclosure open={open} onToggle={toggle} controls={id}>
        <span className="truncate text-muted italic">{clip(body.split('\n')[0] ?? '', 160) || 'Thinking'}</span>
      </Disclosure>
      {open ? (
        <div id={id} className="mt-1 border-l-2 border-border pl-3 text-sm whitespace-pre-wrap text-muted">
          {clip(body, MAX_TEXT_CHARS)}
        </div>
      ) : null}
    </LogRow>
  );
}

/** A tool call or result the log could not pair (a result whose call came earlier, with other events between). */
function ToolEventRow({ event }: { event: MissionEvent }) {
  const [open, toggle] = useExpanded(`e${event.seq}`);
  const { payload } = event;
  const id = `tool-event-${event.seq}`;
  if (event.type === 'tool.call') {
    return (
      <LogRow seq={event.seq} ts={event.ts} kind="tool" className="log-tool-call">
        <Disclosure open={open} onToggle={toggle} controls={id}>
          <strong className="font-mono text-[0.82rem]">{toolLabel(text(payload, 'name')).tool || 'tool'}</strong>
        </Disclosure>
        {open ? <div id={id} className="mt-1"><ToolText title="Input" text={JSON.stringify(payload.input ?? null, null, 2)} /></div> : null}
      </LogRow>
    );
  }
  const failed = payload.isError === true;
  const output = text(payload, 'output');
  return (
    <LogRow seq={event.seq} ts={event.ts} kind={failed ? 'tool error' : 'result'} className="log-tool-result">
      <Disclosure open={open} onToggle={toggle} controls={id}>
        <span className={failed ? 'truncate text-danger' : 'truncate text-muted'}>{clip(output.split('\n')[0] ?? '', 160) || '(no output)'}</span>
      </Disclosure>
      {open ? <div id={id} className="mt-1"><ToolText title={failed ? 'Error output' : 'Output'} text={output || '(no output)'} error={failed} /></div> : null}
    </LogRow>
  );
}

function sentence(event: MissionEvent, kind: string, body: string, className = '') {
  return (
    <LogRow seq={event.seq} ts={event.ts} kind={kind}>
      <span className={`whitespace-pre-wrap ${className}`}>{body}</span>
    </LogRow>
  );
}
