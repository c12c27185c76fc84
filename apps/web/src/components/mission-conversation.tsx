'use client';

import { AGENTS, isActiveStatus, type AgentKind, type MissionStatus } from '@garrison/core';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { PendingApproval, PendingQuestion } from '../lib/pending-requests';

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

  return (
    <section className="panel conversation" aria-label="Talk to the agent">
      {approvals.map((approval) => (
        <div key={approval.approvalId} className="approval" data-testid="pending-approval" role="group" aria-label={`Approval for ${approval.tool}`}>
          <p>
            <strong>The agent asks to run {approval.tool}</strong>
          </p>
          <pre className="approval-summary">{approval.summary || '(no summary)'}</pre>
          <label className="small">
            Comment for the agent (optional)
            <input value={comment} onChange={(event) => setComment(event.target.value)} maxLength={4000} />
          </label>
          <div className="actions">
            <button type="button" className="button" disabled={busy !== null} onClick={() => void act(`allow-${approval.approvalId}`, `/approvals/${encodeURIComponent(approval.approvalId)}`, { decision: 'allow', ...(comment ? { message: comment } : {}) }, () => setComment(''))}>
              {busy === `allow-${approval.approvalId}` ? 'Allowing…' : 'Allow'}
            </button>
            <button type="button" className="button button-danger" disabled={busy !== null} onClick={() => void act(`deny-${approval.approvalId}`, `/approvals/${encodeURIComponent(approval.approvalId)}`, { decision: 'deny', ...(comment ? { message: comment } : {}) }, () => setComment(''))}>
              {busy === `deny-${approval.approvalId}` ? 'Denying…' : 'Deny'}
            </button>
          </div>
        </div>
      ))}
      {question ? (
        <div className="question" data-testid="pending-question">
          <p>
            <strong>The agent asks:</strong> {question.question}
          </p>
          {question.options.length > 0 ? (
            <div className="actions">
              {question.options.map((option) => (
                <button key={option} type="button" className="button" disabled={busy !== null} onClick={() => void act('message', '/messages', { text: option })}>
                  {option}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      {question || followUpOpen ? (
        <form onSubmit={send} className="message-form">
          <label htmlFor="mission-message">{question ? 'Your answer' : isActiveStatus(status) ? 'Follow-up (the agent gets it after its current turn)' : 'Follow-up (continues the same session)'}</label>
          <textarea id="mission-message" value={text} onChange={(event) => setText(event.target.value)} onKeyDown={onKeyDown} rows={3} placeholder="Ctrl+Enter to send" />
          <button type="submit" className="button" disabled={busy !== null || !text.trim()}>
            {busy === 'message' ? 'Sending…' : question ? 'Answer' : 'Send'}
          </button>
        </form>
      ) : null}
      {resumable && (status === 'interrupted' || status === 'failed') ? (
        <div className="actions">
          <button type="button" className="button" disabled={busy !== null} onClick={() => void act('resume', '/resume', {})}>
            {busy === 'resume' ? 'Resuming…' : 'Resume the agent’s session'}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
