import type { MissionEvent } from '@garrison/core';
import { formatClock } from '../lib/format';

const MAX_TEXT_CHARS = 20_000;
const MAX_JSON_CHARS = 4000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function json(value: unknown): string {
  return clip(JSON.stringify(value, null, 2) ?? 'null', MAX_JSON_CHARS);
}

/** One line of what a tool was asked to do: the command, the path, or the first fields. */
function inputSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return String(input ?? '');
  const fields = input as Record<string, unknown>;
  for (const key of ['command', 'cmd', 'path', 'file_path', 'pattern', 'query', 'question', 'url']) {
    if (typeof fields[key] === 'string') return clip(fields[key] as string, 200);
  }
  return clip(JSON.stringify(input), 200);
}

function text(payload: Record<string, unknown>, key: string): string {
  return typeof payload[key] === 'string' ? (payload[key] as string) : '';
}

/**
 * An agent's event as a line of its work log: messages as text, tool calls as first-class lines
 * with their input one click away, thinking collapsed, people's decisions as sentences. Every
 * row keeps its seq, so the log still shows exactly the events Postgres holds.
 */
export function AgentEventRow({ event }: { event: MissionEvent }) {
  const { payload, type, seq, ts } = event;
  const time = <time dateTime={ts}>{formatClock(ts)}</time>;
  switch (type) {
    case 'agent.message':
      return (
        <div className="log-row log-agent-message" data-seq={seq}>
          {time}
          <span className="log-kind">agent</span>
          <div className="log-body agent-text">{clip(text(payload, 'text'), MAX_TEXT_CHARS)}</div>
        </div>
      );
    case 'agent.delta':
      return (
        <div className="log-row log-agent-delta" data-seq={seq}>
          {time}
          <span className="log-kind">typing</span>
          <span className="log-body muted">{clip(text(payload, 'text'), 400)}</span>
        </div>
      );
    case 'agent.thinking':
      return (
        <div className="log-row log-thinking" data-seq={seq}>
          {time}
          <span className="log-kind">thinking</span>
          <details className="log-body">
            <summary className="muted">{clip(text(payload, 'text').split('\n')[0] ?? '', 120) || 'Thinking'}</summary>
            <div className="agent-text">{clip(text(payload, 'text'), MAX_TEXT_CHARS)}</div>
          </details>
        </div>
      );
    case 'tool.call':
      return (
        <div className="log-row log-tool-call" data-seq={seq} data-call-id={text(payload, 'callId')}>
          {time}
          <span className="log-kind">tool</span>
          <details className="log-body">
            <summary>
              <strong>{text(payload, 'name')}</strong> <code>{inputSummary(payload.input)}</code>
            </summary>
            <pre>{json(payload.input)}</pre>
          </details>
        </div>
      );
    case 'tool.result': {
      const failed = payload.isError === true;
      const output = text(payload, 'output');
      return (
        <div className={`log-row log-tool-result${failed ? ' log-tool-error' : ''}`} data-seq={seq}>
          {time}
          <span className="log-kind">{failed ? 'tool error' : 'result'}</span>
          <details className="log-body">
            <summary className={failed ? '' : 'muted'}>{clip(output.split('\n')[0] ?? '', 160) || '(no output)'}</summary>
            <pre>{clip(output, MAX_TEXT_CHARS)}</pre>
          </details>
        </div>
      );
    }
    case 'usage': {
      const cost = typeof payload.costUsd === 'number' ? ` · $${payload.costUsd.toFixed(4)}` : '';
      return (
        <div className="log-row log-usage" data-seq={seq}>
          {time}
          <span className="log-kind">usage</span>
          <span className="log-body muted">
            {String(payload.inputTokens ?? 0)} in · {String(payload.outputTokens ?? 0)} out{cost}
          </span>
        </div>
      );
    }
    case 'approval.requested':
      return sentence(event, 'approval', `Asks to run ${text(payload, 'tool')}: ${text(payload, 'summary')}`, 'log-waiting');
    case 'approval.resolved':
      return sentence(event, 'decision', `${payload.decision === 'allow' ? 'Allowed' : 'Denied'} by ${text(payload, 'by')}${text(payload, 'message') ? `: ${text(payload, 'message')}` : ''}`);
    case 'input.requested':
      return sentence(event, 'question', text(payload, 'question'), 'log-waiting');
    case 'input.provided':
      return sentence(event, payload.kind === 'answer' ? 'answer' : 'follow-up', `${text(payload, 'by')}: ${clip(text(payload, 'text'), MAX_TEXT_CHARS)}`);
    case 'agent.session':
      return sentence(event, 'session', `Agent session ${text(payload, 'sessionId')}`, 'muted');
    case 'error':
      return sentence(event, 'error', `${text(payload, 'code')}: ${text(payload, 'message')}`, 'log-error');
    default:
      return (
        <div className="log-row log-generic" data-seq={seq}>
          {time}
          <span className="log-kind">{type}</span>
          <code className="log-body">{clip(JSON.stringify(payload), MAX_JSON_CHARS)}</code>
        </div>
      );
  }
}

function sentence(event: MissionEvent, kind: string, body: string, className = '') {
  return (
    <div className={`log-row ${className}`} data-seq={event.seq}>
      <time dateTime={event.ts}>{formatClock(event.ts)}</time>
      <span className="log-kind">{kind}</span>
      <span className="log-body">{body}</span>
    </div>
  );
}
