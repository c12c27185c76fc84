'use client';

import { AGENTS, isActiveStatus, type AgentKind, type MissionStatus } from '@garrison/core';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { PendingApproval, PendingQuestion } from '../lib/pending-requests';
import { Button, ErrorNote, Kbd, inputClass } from './ui';
import { useCanWrite } from '../lib/use-role';
import { ViewerNote } from './viewer-note';

interface Props {
  missionId: string;
  agent: AgentKind;
  status: MissionStatus;
  resumable: boolean;
  approvals: PendingApproval[];
  questions: PendingQuestion[];
  /** Called after an action the API accepted, so the page reloads the mission row. */
  onChanged(): void;
}

/**
 * What a person can say to a mission's agent: decide its approvals, answer its question, send a
 * follow-up, or resume it. Every action goes through the API; the log shows its effect when the
 * runner records it (approval.resolved, input.provided), so nothing here is optimistic.
 */
export function MissionConversation({ missionId, agent, status, resumable, approvals, questions, onChanged }: Props) {
  const canWrite = useCanWrite() !== false;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [text, setText] = useState('');
  const canResume = AGENTS[agent]?.resume === true;
  const question = questions[0] ?? null;
  const followUpOpen = canResume && (isActiveStatus(status) || status === 'queued' || status === 'provisioning' || status === 'completed' || status === 'blocked');

  async function act(key: string, path: string, body: unknown, after?: () => void): Promise<void> {
    setBusy(key);
    setError(null);
    try {
      await callApi(`/missions/${encodeURIComponent(missionId)}${path}`, { method: 'POST', body });
      after?.();
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  function send(event?: FormEvent): void {
    event?.preventDefault();
    if (!text.trim()) return;
    void act('message', '/messages', { text }, () => setText(''));
  }

  // Ctrl/Cmd+Enter sends, as in every chat and review box people already know.
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send();
  }

  if (approvals.length === 0 && !question && !followUpOpen && !(resumable && (status === 'interrupted' || status === 'failed'))) return null;
  // Answering, approving, following up and resuming take a member (the API answers 403).
  if (!canWrite) return <ViewerNote what={approvals.length > 0 || question ? 'The agent is waiting for a person' : undefined} className="mt-3" />;

  return (
    <section className="grid gap-3 rounded-lg border border-border bg-panel p-4" aria-label="Talk to the agent">
      {approvals.map((approval) => (
        <div key={approval.approvalId} className="grid gap-2 rounded-md border border-warn/50 bg-warn-bg p-3" data-testid="pending-approval" role="group" aria-label={`Approval for ${approval.tool}`}>
          <p className="text-sm font-semibold">The agent asks to run {approval.tool}</p>
          <pre className="max-h-48 overflow-auto rounded-md bg-log p-2 font-mono text-xs whitespace-pre-wrap text-log-fg">{approval.summary || '(no summary)'}</pre>
          <label className="grid gap-1 text-sm">
            Comment for the agent (optional)
            <input className={inputClass} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={4000} />
          </label>
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" disabled={busy !== null} onClick={() => void act(`allow-${approval.approvalId}`, `/approvals/${encodeURIComponent(approval.approvalId)}`, { decision: 'allow', ...(comment ? { message: comment } : {}) }, () => setComment(''))}>
              {busy === `allow-${approval.approvalId}` ? 'Allowing…' : 'Allow'}
            </Button>
            <Button variant="danger" disabled={busy !== null} onClick={() => void act(`deny-${approval.approvalId}`, `/approvals/${encodeURIComponent(approval.approvalId)}`, { decision: 'deny', ...(comment ? { message: comment } : {}) }, () => setComment(''))}>
              {busy === `deny-${approval.approvalId}` ? 'Denying…' : 'Deny'}
            </Button>
          </div>
        </div>
      ))}
      {question ? (
        <div className="grid gap-2 rounded-md border border-warn/50 bg-warn-bg p-3" data-testid="pending-question">
          <p className="text-sm">
            <strong>The agent asks:</strong> {question.question}
          </p>
          {question.options.length > 0 ? (
            <div className="flex flex-wrap gap-2">
              {question.options.map((option) => (
                <Button key={option} disabled={busy !== null} onClick={() => void act('message', '/messages', { text: option })}>
                  {option}
                </Button>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      {question || followUpOpen ? (
        <form onSubmit={send} className="grid gap-1.5">
          <label htmlFor="mission-message" className="text-sm font-medium">
            {question ? 'Your answer' : isActiveStatus(status) ? 'Follow-up (the agent gets it after its current turn)' : 'Follow-up (continues the same session)'}
          </label>
          <textarea id="mission-message" className={inputClass} value={text} onChange={(event) => setText(event.target.value)} onKeyDown={onKeyDown} rows={3} aria-describedby="mission-message-hint" />
          <div className="flex items-center justify-between gap-2">
            <span id="mission-message-hint" className="text-xs text-muted">
              <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> to send
            </span>
            <Button type="submit" variant="primary" disabled={busy !== null || !text.trim()}>
              {busy === 'message' ? 'Sending…' : question ? 'Answer' : 'Send'}
            </Button>
          </div>
        </form>
      ) : null}
      {resumable && (status === 'interrupted' || status === 'failed') ? (
        <div className="flex flex-wrap gap-2">
          <Button disabled={busy !== null} onClick={() => void act('resume', '/resume', {})}>
            {busy === 'resume' ? 'Resuming…' : 'Resume the agent’s session'}
          </Button>
        </div>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
    </section>
  );
}
