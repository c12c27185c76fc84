'use client';

import { AgentKind } from '@garrison/core';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { AgentAvailability, Mission, Workspace } from '../lib/api-types';
import { AgentOptions, DEFAULT_CHOICES, choicesToBody, type AgentChoices } from './agent-options';
import { missionPath } from '../lib/paths';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';

interface Props {
  workspaces: Workspace[] | null;
  workspaceId: string;
  onWorkspaceChange(id: string): void;
}

export function NewMissionForm({ workspaces, workspaceId, onWorkspaceChange }: Props) {
  const router = useRouter();
  const redirectIfSignedOut = useSignInRedirect();
  const [agent, setAgent] = useState<AgentKind>('shell');
  const [agents, setAgents] = useState<AgentAvailability[] | null>(null);
  const [choices, setChoices] = useState<AgentChoices>(DEFAULT_CHOICES);
  // Which agents can run now (CLI in the image, the team's provider key) and why not the others.
  useEffect(() => {
    callApi<{ agents: AgentAvailability[] }>('/agents').then((body) => setAgents(body.agents), () => setAgents(null));
  }, []);
  const selected = agents?.find((candidate) => candidate.kind === agent) ?? null;
  const [prompt, setPrompt] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noWorkspace = !workspaces || workspaces.length === 0;
  const canSubmit = !pending && !noWorkspace && workspaceId !== '' && prompt.trim() !== '';

  async function onSubmit(event?: FormEvent<HTMLFormElement>): Promise<void> {
    event?.preventDefault();
    if (!canSubmit) return;
    setPending(true);
    setError(null);
    try {
      const extra = agent === 'shell' ? {} : choicesToBody(choices);
      const mission = await callApi<Mission>('/missions', { method: 'POST', body: { workspaceId, agent, prompt, ...extra } });
      router.push(missionPath(mission.id));
    } catch (failure) {
      if (!redirectIfSignedOut(failure)) setError(messageOf(failure));
      setPending(false);
    }
  }

  function onPromptKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void onSubmit();
    }
  }

  return (
    <section className="panel" aria-labelledby="new-mission-heading">
      <h2 id="new-mission-heading">New mission</h2>
      <form className="mission-form" onSubmit={(event) => void onSubmit(event)}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="mission-workspace">Workspace</label>
            <select
              id="mission-workspace"
              name="workspaceId"
              value={workspaceId}
              onChange={(event) => onWorkspaceChange(event.target.value)}
              disabled={noWorkspace}
            >
              {noWorkspace ? <option value="">Create a workspace first</option> : null}
              {workspaces?.map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="mission-agent">Agent</label>
            <select
              id="mission-agent"
              name="agent"
              value={agent}
              onChange={(event) => {
                setAgent(event.target.value as AgentKind);
                setChoices(DEFAULT_CHOICES);
              }}
              aria-describedby="agent-availability"
            >
              {AgentKind.options.map((kind) => {
                const info = agents?.find((candidate) => candidate.kind === kind);
                return (
                  <option key={kind} value={kind} disabled={info ? !info.available : false}>
                    {info ? `${info.label}${info.available ? '' : ' (unavailable)'}` : kind}
                  </option>
                );
              })}
            </select>
          </div>
        </div>
        {agents?.some((info) => !info.available) ? (
          <ul id="agent-availability" className="muted small agent-availability">
            {agents
              .filter((info) => !info.available)
              .map((info) => (
                <li key={info.kind}>
                  {info.label}: {info.unavailableReasons.join(' ')}
                </li>
              ))}
          </ul>
        ) : null}
        {selected && agent !== 'shell' ? <AgentOptions agent={selected} choices={choices} onChange={setChoices} /> : null}
        <div className="field">
          <label htmlFor="mission-prompt">Prompt</label>
          <textarea
            id="mission-prompt"
            name="prompt"
            value={prompt}
            onChange={(event) => setPrompt(event.target.value)}
            onKeyDown={onPromptKeyDown}
            rows={6}
            spellCheck={false}
            placeholder={agent === 'shell' ? 'A shell script, run with /bin/sh in the workspace, e.g.\nnpm test' : 'What should the agent do?'}
            aria-describedby="prompt-hint"
            required
          />
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-actions">
          <span id="prompt-hint" className="muted small">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd> to dispatch
          </span>
          <button type="submit" className="button button-primary" disabled={!canSubmit}>
            {pending ? 'Dispatching…' : 'Dispatch mission'}
          </button>
        </div>
      </form>
    </section>
  );
}
