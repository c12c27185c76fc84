'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import type { Workspace, WorkspaceTemplate } from '../lib/api-types';
import { workspacePath } from '../lib/paths';
import { queryKeys, useApiMutation, useApiQuery } from '../lib/queries';
import { describeTemplate } from '../lib/workspace-format';
import { Button, Dialog, ErrorNote, Field, Loading, cx, inputClass } from './ui';
import { WorkspaceProgress } from './workspace-progress';
import { WorkspaceStatusBadge } from './workspace-status-badge';

/**
 * Name and template, then the workspace's provisioning followed live in the same dialog (image
 * build, init script output, status) until it runs; a failed start says why and can be retried.
 */
export function NewWorkspaceDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const [createdId, setCreatedId] = useState<string | null>(null);
  // A fresh form every time it opens.
  useEffect(() => {
    if (open) setCreatedId(null);
  }, [open]);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={createdId ? 'Setting up the workspace' : 'New workspace'}
      description={createdId ? 'You can close this; setup carries on and the list shows its status.' : 'A container of its own with a persistent volume for files, made from a template.'}
      size="lg"
    >
      {createdId ? <Provisioning workspaceId={createdId} onClose={() => onOpenChange(false)} /> : <CreateForm onCreated={(workspace) => setCreatedId(workspace.id)} />}
    </Dialog>
  );
}

function CreateForm({ onCreated }: { onCreated(workspace: Workspace): void }) {
  const templates = useApiQuery<{ templates: WorkspaceTemplate[] }>(queryKeys.templates, '/templates');
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const create = useApiMutation<{ name: string; templateId?: string }, Workspace>({
    method: 'POST',
    path: () => '/workspaces',
    body: (vars) => vars,
    invalidate: [queryKeys.workspaces, queryKeys.overview],
    onSuccess: onCreated,
  });
  const list = templates.data?.templates ?? [];
  const chosen = templateId ?? list.find((template) => template.name === 'default')?.id ?? list[0]?.id ?? null;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate({ name: name.trim(), ...(chosen ? { templateId: chosen } : {}) });
  }

  return (
    <form className="space-y-4" onSubmit={submit}>
      <Field label="Name" hint="Letters, digits, spaces, dots, dashes and underscores; unique in your team.">
        {(control) => (
          <input
            {...control}
            className={inputClass}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. backend"
            maxLength={80}
            required
            autoFocus
            autoComplete="off"
          />
        )}
      </Field>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">Template</legend>
        {templates.isPending ? <Loading label="Loading templates…" /> : null}
        <ErrorNote>{templates.error ? `Could not load the templates: ${templates.error.message}` : null}</ErrorNote>
        {templates.data && list.length === 0 ? <p className="text-sm text-muted">No templates yet: the workspace gets the installation&apos;s default image.</p> : null}
        <div className="max-h-72 space-y-1.5 overflow-y-auto">
          {list.map((template) => (
            <label
              key={template.id}
              className={cx(
                'flex cursor-pointer items-start gap-2.5 rounded-md border px-3 py-2 text-sm',
                chosen === template.id ? 'border-primary bg-subtle' : 'border-border hover:bg-subtle',
              )}
            >
              <input type="radio" name="template" value={template.id} checked={chosen === template.id} onChange={() => setTemplateId(template.id)} className="mt-1 accent-(--primary)" />
              <span className="min-w-0">
                <span className="font-medium">{template.name}</span>
                {template.shared ? <span className="ml-1.5 text-xs text-muted">shared</span> : null}
                <span className="block truncate font-mono text-xs text-muted" title={describeTemplate(template)}>
                  {describeTemplate(template)}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorNote>{create.error?.message}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
          {create.isPending ? 'Creating…' : 'Create workspace'}
        </Button>
      </div>
    </form>
  );
}

function Provisioning({ workspaceId, onClose }: { workspaceId: string; onClose(): void }) {
  const workspace = useApiQuery<Workspace>(queryKeys.workspace(workspaceId), `/workspaces/${encodeURIComponent(workspaceId)}`, {
    // The team room pushes status changes; polling covers a socket that is still connecting.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? false : 2_000),
  });
  const retry = useApiMutation<void, Workspace>({
    method: 'POST',
    path: () => `/workspaces/${encodeURIComponent(workspaceId)}/start`,
    invalidate: [queryKeys.workspaces, queryKeys.workspace(workspaceId)],
  });
  const data = workspace.data;
  if (!data) return workspace.error ? <ErrorNote>{workspace.error.message}</ErrorNote> : <Loading label="Creating…" />;
  const failed = data.status === 'error';
  const running = data.status === 'running';
  return (
    <div className="space-y-4" data-testid="workspace-provisioning">
      <div className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
        <span className="font-medium">{data.name}</span>
        <WorkspaceStatusBadge status={data.status} busyLabel={retry.isPending ? 'starting' : null} />
        {!failed && data.statusMessage ? <span className="text-muted">{data.statusMessage}</span> : null}
        {running ? <span className="text-ok">Ready: it runs and missions can use it.</span> : null}
        {data.status === 'creating' ? <span className="text-muted">Creating the container… a first image build can take a few minutes.</span> : null}
      </div>
      {failed ? (
        <ErrorNote>
          {`Setup failed: ${data.statusMessage ?? 'the worker gave no reason'}. Fix the template's init script or image if it is at fault, then retry; the files made so far are kept.`}
        </ErrorNote>
      ) : null}
      <ErrorNote>{retry.error?.message}</ErrorNote>
      <WorkspaceProgress workspaceId={workspaceId} status={data.status} framed={false} />
      <div className="flex flex-wrap justify-end gap-2">
        {failed ? (
          <Button variant="primary" busy={retry.isPending} onClick={() => retry.mutate()}>
            Retry setup
          </Button>
        ) : null}
        <Button onClick={onClose}>Close</Button>
        <Link
          href={workspacePath(workspaceId)}
          onClick={onClose}
          className={cx(
            'inline-flex h-9 items-center rounded-md border px-3.5 text-sm font-medium no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus',
            running ? 'border-transparent bg-primary text-primary-fg hover:bg-primary-hover' : 'border-border-strong bg-panel text-fg hover:bg-subtle',
          )}
        >
          Open workspace
        </Link>
      </div>
    </div>
  );
}
