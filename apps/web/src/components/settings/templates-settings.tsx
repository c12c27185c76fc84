'use client';

import { AVAILABLE_NETWORK_POLICIES, type CreateTemplateBody, type NetworkPolicy } from '@garrison/core';
import { useState, type FormEvent } from 'react';
import type { WorkspaceTemplate } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { queryKeys, useApiMutation, useApiQuery } from '../../lib/queries';
import { Button, Dialog, EmptyState, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, tableClass, useCanManage, useMe } from './settings-common';

const POLICY_LABEL: Record<NetworkPolicy, string> = {
  model_only: 'Model gateway only',
  egress: 'Outbound internet',
  open: 'Open',
  none: 'No network',
};

/** Templates are what new workspaces are made from: image, init script, env, limits, network. */
export function TemplatesSettings() {
  const me = useMe();
  const canManage = useCanManage();
  const templates = useApiQuery<{ templates: WorkspaceTemplate[] }>(queryKeys.templates, '/templates');
  const [creating, setCreating] = useState(false);
  const own = templates.data?.templates.filter((template) => !template.shared) ?? [];

  return (
    <Panel
      title="Workspace templates"
      id="templates"
      actions={
        canManage ? (
          <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
            New template
          </Button>
        ) : null
      }
    >
      {canManage === false ? <ReadOnlyNote role={me.data?.role} what="create templates" /> : null}
      {templates.isPending ? <Loading label="Loading templates…" /> : null}
      {templates.error ? <ErrorNote>{templates.error.message} Reload the page to try again.</ErrorNote> : null}
      {templates.data ? (
        <>
          <div className="overflow-x-auto">
            <table className={`${tableClass} min-w-[640px]`} data-testid="templates-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Image</th>
                  <th>Limits</th>
                  <th>Network</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {templates.data.templates.map((template) => (
                  <tr key={template.id}>
                    <td className="font-medium">
                      {template.name}
                      {template.shared ? <span className="ml-2 rounded bg-subtle px-1.5 py-0.5 text-xs text-muted">shared</span> : null}
                    </td>
                    <td className="font-mono text-xs">{template.image}</td>
                    <td className="text-xs">
                      {template.memoryMb} MB · {template.cpus} CPU · {template.pidsLimit} processes
                    </td>
                    <td className="text-xs">{POLICY_LABEL[template.networkPolicy] ?? template.networkPolicy}</td>
                    <td className="text-xs text-muted">{formatDateTime(template.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {own.length === 0 ? (
            <div className="mt-4">
              <EmptyState title="No team templates yet">
                Workspaces use the shared templates above until you add one. {canManage ? 'Create a template to set your own image, init script, env and limits.' : 'An owner or admin can create one.'}
              </EmptyState>
            </div>
          ) : null}
        </>
      ) : null}
      {creating ? <TemplateDialog onClose={() => setCreating(false)} /> : null}
    </Panel>
  );
}

/** `KEY=value` per line; blank lines and `#` comments are skipped. */
function parseEnv(text: string): { env: Record<string, string>; error: string | null } {
  const env: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { env, error: `Line ${index + 1} is not KEY=value.` };
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { env, error: null };
}

function TemplateDialog({ onClose }: { onClose: () => void }) {
  const [envError, setEnvError] = useState<string | null>(null);
  const create = useApiMutation<CreateTemplateBody>({
    method: 'POST',
    path: () => '/templates',
    body: (vars) => vars,
    invalidate: [queryKeys.templates],
    onSuccess: onClose,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const number = (name: string) => (text(name) ? Number(text(name)) : undefined);
    const parsed = parseEnv(String(form.get('env') ?? ''));
    setEnvError(parsed.error);
    if (parsed.error) return;
    create.mutate({
      name: text('name'),
      ...(text('image') ? { image: text('image') } : {}),
      ...(text('initScript') ? { initScript: String(form.get('initScript')) } : {}),
      ...(Object.keys(parsed.env).length ? { env: parsed.env } : {}),
      memoryMb: number('memoryMb'),
      cpus: number('cpus'),
      pidsLimit: number('pidsLimit'),
      networkPolicy: text('networkPolicy') as NetworkPolicy,
    });
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="New workspace template" description="Workspaces created from it get this image, init script, env and limits." size="lg">
      <form className="grid gap-4 md:grid-cols-2" onSubmit={onSubmit}>
        <Field label="Name" hint="Letters, digits, spaces, dots, dashes, underscores.">
          {(control) => <input {...control} name="name" className={inputClass} required maxLength={80} autoFocus />}
        </Field>
        <Field label="Image (optional)" hint="Leave empty for the default workspace image.">
          {(control) => <input {...control} name="image" className={`${inputClass} font-mono`} placeholder="garrison/workspace:dev" />}
        </Field>
        <Field label="Init script (optional)" hint="Runs once when a workspace is created, e.g. git clone and npm install." className="md:col-span-2">
          {(control) => <textarea {...control} name="initScript" rows={4} className={`${inputClass} font-mono`} spellCheck={false} />}
        </Field>
        <Field label="Environment (optional)" hint="One KEY=value per line. Not for secrets: provider keys go under Credentials." error={envError} className="md:col-span-2">
          {(control) => <textarea {...control} name="env" rows={3} className={`${inputClass} font-mono`} spellCheck={false} placeholder="NODE_ENV=development" />}
        </Field>
        <Field label="Memory (MB)">{(control) => <input {...control} name="memoryMb" type="number" min={128} max={65536} step={1} defaultValue={2048} className={inputClass} />}</Field>
        <Field label="CPUs">{(control) => <input {...control} name="cpus" type="number" min={0.1} max={64} step={0.1} defaultValue={1} className={inputClass} />}</Field>
        <Field label="Process limit">{(control) => <input {...control} name="pidsLimit" type="number" min={32} max={32768} step={1} defaultValue={512} className={inputClass} />}</Field>
        <Field label="Network">
          {(control) => (
            <select {...control} name="networkPolicy" className={inputClass} defaultValue="model_only">
              {AVAILABLE_NETWORK_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {POLICY_LABEL[policy]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="md:col-span-2">
          <ErrorNote>{create.error?.message}</ErrorNote>
        </div>
        <div className="flex justify-end gap-2 md:col-span-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create template
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
