'use client';

import { AgentKind } from '@garrison/core';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AgentAvailability, Mission, Workspace } from '../lib/api-types';
import { missionPath } from '../lib/paths';
import { queryKeys, useApiMutation, useApiQuery } from '../lib/queries';
import { AgentOptions, DEFAULT_CHOICES, choicesToBody, type AgentChoices } from './agent-options';
import { MissionRepositoryFields, NO_REPOSITORY, repositoryChoiceToBody, type RepositoryChoice } from './mission-repository-fields';
import { Button, ErrorNote, Kbd, inputClass } from './ui';

export const labelClass = 'block text-sm font-medium';

interface FieldsProps {
  workspaces: Workspace[] | null;
  workspaceId: string;
  onWorkspaceChange(id: string): void;
  /** In the dialog the prompt takes focus at once. */
  autoFocusPrompt?: boolean;
  /** After the mission was stored, before the page moves to it. */
  onDispatched?(mission: Mission): void;
}

/**
 * Workspace, agent (with why an agent cannot run now), model, approvals, limits and the prompt;
 * Ctrl/Cmd+Enter in the prompt dispatches. The new mission's page opens once it is stored.
 */
export function NewMissionFields({ workspaces, workspaceId, onWorkspaceChange, autoFocusPrompt, onDispatched }: FieldsProps) {
  const router = useRouter();
  const [agent, setAgent] = useState<AgentKind>('shell');
  // Which agents can run now (CLI in the image, the team's provider key) and why not the others.
  const agents = useApiQuery<{ agents: AgentAvailability[] }>(queryKeys.agents, '/agents', { staleTime: 30_000 });
  const [choices, setChoices] = useState<AgentChoices>(DEFAULT_CHOICES);
  const [prompt, setPrompt] = useState('');
  const [repository, setRepository] = useState<RepositoryChoice & { workspaceId: string }>({ ...NO_REPOSITORY, workspaceId });
  // A repository belongs to one workspace: choosing another workspace drops the choice.
  const repositoryChoice = repository.workspaceId === workspaceId ? repository : NO_REPOSITORY;
  const dispatch = useApiMutation<Record<string, unknown>, Mission>({
    method: 'POST',
    path: () => '/missions',
    body: (body) => body,
    invalidate: [queryKeys.missions, queryKeys.overview, queryKeys.workspaces],
    onSuccess: (mission) => {
      onDispatched?.(mission);
      router.push(missionPath(mission.id));
    },
  });
  const available = agents.data?.agents ?? null;
  const selected = available?.find((candidate) => candidate.kind === agent) ?? null;
  const noWorkspace = !workspaces || workspaces.length === 0;
  // Stays busy from submit until the mission page replaces this one.
  const busy = dispatch.isPending || dispatch.isSuccess;
  const canSubmit = !busy && !noWorkspace && workspaceId !== '' && prompt.trim() !== '';

  function submit(event?: FormEvent<HTMLFormElement>): void {
    event?.preventDefault();
    if (!canSubmit) return;
    const extra = agent === 'shell' ? {} : choicesToBody(choices);
    dispatch.mutate({ workspaceId, agent, prompt, ...extra, ...repositoryChoiceToBody(repositoryChoice) });
  }

  function onPromptKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  }

  const unavailable = available?.filter((info) => !info.available) ?? [];
  return (
    <form className="space-y-4" onSubmit={submit} data-testid="new-mission-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="mission-workspace" className={labelClass}>
            Workspace
          </label>
          <select
            id="mission-workspace"
            name="workspaceId"
            className={inputClass}
            value={workspaceId}
            onChange={(event) => onWorkspaceChange(event.target.value)}
            disabled={noWorkspace}
          >
            {noWorkspace ? <option value="">Create a workspace first</option> : null}
            {workspaces?.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
                {workspace.status === 'running' ? '' : ` (${workspace.status})`}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="mission-agent" className={labelClass}>
            Agent
          </label>
          <select
            id="mission-agent"
            name="agent"
            className={inputClass}
            value={agent}
            onChange={(event) => {
              setAgent(event.target.value as AgentKind);
              setChoices(DEFAULT_CHOICES);
            }}
            aria-describedby={unavailable.length > 0 ? 'agent-availability' : undefined}
          >
            {AgentKind.options.map((kind) => {
              const info = available?.find((candidate) => candidate.kind === kind);
              return (
                <option key={kind} value={kind} disabled={info ? !info.available : false}>
                  {info ? `${info.label}${info.available ? '' : ' (unavailable)'}` : kind}
                </option>
              );
            })}
          </select>
        </div>
      </div>
      {workspaceId ? <MissionRepositoryFields workspaceId={workspaceId} value={repositoryChoice} onChange={(next) => setRepository({ ...next, workspaceId })} /> : null}
      {unavailable.length > 0 ? (
        <ul id="agent-availability" className="space-y-0.5 rounded-md bg-subtle px-3 py-2 text-xs text-muted" aria-label="Unavailable agents">
          {unavailable.map((info) => (
            <li key={info.kind}>
              <span className="font-medium text-fg">{info.label}:</span> {info.unavailableReasons.join(' ')}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNote>{agents.error ? `Could not check which agents can run: ${agents.error.message}` : null}</ErrorNote>
      {selected && agent !== 'shell' ? <AgentOptions agent={selected} choices={choices} onChange={setChoices} /> : null}
      <div className="space-y-1">
        <label htmlFor="mission-prompt" className={labelClass}>
          Prompt
        </label>
        <textarea
          id="mission-prompt"
          name="prompt"
          className={`${inputClass} min-h-36 font-mono`}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={onPromptKeyDown}
          rows={7}
          spellCheck={false}
          autoFocus={autoFocusPrompt}
          placeholder={agent === 'shell' ? 'A shell script, run with /bin/sh in the workspace, e.g.\nnpm test' : 'What should the agent do?'}
          aria-describedby="prompt-hint"
          required
        />
      </div>
      <ErrorNote>{dispatch.error?.message}</ErrorNote>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span id="prompt-hint" className="text-xs text-muted">
          <Kbd>Ctrl</Kbd>/<Kbd>⌘</Kbd> + <Kbd>Enter</Kbd> to dispatch
        </span>
        <Button type="submit" variant="primary" disabled={!canSubmit} busy={busy}>
          {busy ? 'Dispatching…' : 'Dispatch mission'}
        </Button>
      </div>
    </form>
  );
}

interface Props {
  workspaces: Workspace[] | null;
  workspaceId: string;
  onWorkspaceChange(id: string): void;
}

/** The form as a panel of its own (the older home page embeds it; the dialog is the usual way in). */
export function NewMissionForm(props: Props) {
  return (
    <section className="rounded-lg border border-border bg-panel p-4" aria-labelledby="new-mission-heading">
      <h2 id="new-mission-heading" className="mb-3 text-base font-semibold">
        New mission
      </h2>
      <NewMissionFields {...props} />
    </section>
  );
}
