'use client';

import { ModelProvider } from '@garrison/core';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../lib/format';
import { useApiMutation, useApiQuery } from '../../lib/queries';
import { Button, ConfirmDialog, Dialog, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, settingsKeys, useCanManage, useMe } from './settings-common';

interface Credential {
  provider: ModelProvider;
  baseUrl: string | null;
  last4: string | null;
  updatedAt: string;
}

const PROVIDER_LABEL: Record<ModelProvider, string> = { anthropic: 'Anthropic', openai: 'OpenAI' };
const USED_BY: Record<ModelProvider, string> = { anthropic: 'Claude Code missions', openai: 'Codex and OpenCode missions' };

/**
 * Provider keys are write-only: the page shows whether one is set and its last four characters,
 * never the key. The form field is a password input and is emptied as soon as the key is stored.
 */
export function CredentialsSettings() {
  const me = useMe();
  const canManage = useCanManage();
  const credentials = useApiQuery<{ credentials: Credential[] }>(settingsKeys.credentials, '/credentials');
  const [editing, setEditing] = useState<ModelProvider | null>(null);
  const [removing, setRemoving] = useState<ModelProvider | null>(null);
  const remove = useApiMutation<ModelProvider>({
    method: 'DELETE',
    path: (provider) => `/credentials/${provider}`,
    invalidate: [settingsKeys.credentials],
    onSuccess: () => setRemoving(null),
  });

  return (
    <Panel title="Provider credentials" id="credentials">
      <p className="mb-4 text-sm text-muted">
        Model agents call their provider through Garrison&apos;s gateway with the team&apos;s key; the key never enters a workspace and is never shown again once saved.
      </p>
      {canManage === false ? <ReadOnlyNote role={me.data?.role} what="set, replace or remove provider keys" /> : null}
      {credentials.isPending ? <Loading label="Loading credentials…" /> : null}
      {credentials.error ? <ErrorNote>{credentials.error.message} Reload the page to try again.</ErrorNote> : null}
      {credentials.data ? (
        <ul className="divide-y divide-border rounded-md border border-border">
          {ModelProvider.options.map((provider) => {
            const stored = credentials.data.credentials.find((credential) => credential.provider === provider);
            return (
              <li key={provider} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid={`credential-${provider}`}>
                <div className="min-w-48 flex-1">
                  <div className="font-medium">{PROVIDER_LABEL[provider]}</div>
                  <div className="text-xs text-muted">Used by {USED_BY[provider]}</div>
                </div>
                <div className="min-w-56 text-sm" data-testid={`credential-${provider}-state`}>
                  {stored ? (
                    <>
                      <span className="font-medium text-ok">Set</span>
                      {stored.last4 ? <span className="text-muted"> · ends in <span className="font-mono">{stored.last4}</span></span> : null}
                      <div className="text-xs text-muted">
                        Updated {formatDateTime(stored.updatedAt)}
                        {stored.baseUrl ? <> · via <span className="font-mono">{stored.baseUrl}</span></> : null}
                      </div>
                    </>
                  ) : (
                    <span className="text-muted">Not set</span>
                  )}
                </div>
                {canManage ? (
                  <div className="flex gap-2">
                    <Button size="sm" onClick={() => setEditing(provider)} aria-label={`${stored ? 'Replace' : 'Set'} ${PROVIDER_LABEL[provider]} key`}>
                      {stored ? 'Replace key' : 'Set key'}
                    </Button>
                    {stored ? (
                      <Button size="sm" variant="quiet" className="text-danger!" onClick={() => setRemoving(provider)} aria-label={`Remove ${PROVIDER_LABEL[provider]} key`}>
                        Remove
                      </Button>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {editing ? <CredentialDialog provider={editing} replacing={Boolean(credentials.data?.credentials.some((c) => c.provider === editing))} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title={`Remove the ${removing ? PROVIDER_LABEL[removing] : ''} key?`}
        description={`Missions that need it (${removing ? USED_BY[removing] : ''}) will not start until someone sets a key again. Running missions may fail.`}
        confirmLabel="Remove key"
        danger
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Panel>
  );
}

function CredentialDialog({ provider, replacing, onClose }: { provider: ModelProvider; replacing: boolean; onClose: () => void }) {
  const [fieldError, setFieldError] = useState<string | null>(null);
  const save = useApiMutation<{ apiKey: string; baseUrl?: string }>({
    method: 'PUT',
    path: () => `/credentials/${provider}`,
    body: (vars) => vars,
    invalidate: [settingsKeys.credentials],
    onSuccess: onClose,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const apiKey = String(form.get('apiKey') ?? '').trim();
    const baseUrl = String(form.get('baseUrl') ?? '').trim();
    if (apiKey.length < 8) {
      setFieldError('Paste the whole key (at least 8 characters).');
      return;
    }
    setFieldError(null);
    save.mutate({ apiKey, ...(baseUrl ? { baseUrl } : {}) });
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`${replacing ? 'Replace' : 'Set'} the ${PROVIDER_LABEL[provider]} key`}
      description="The key is stored encrypted and never shown again; only its last four characters identify it."
    >
      <form className="space-y-4" onSubmit={onSubmit} autoComplete="off">
        <Field label="API key" error={fieldError}>
          {(control) => <input {...control} name="apiKey" type="password" className={inputClass} autoComplete="new-password" spellCheck={false} required autoFocus />}
        </Field>
        <Field label="Endpoint (optional)" hint={`Leave empty for ${PROVIDER_LABEL[provider]}'s own API; set it for a compatible proxy.`}>
          {(control) => <input {...control} name="baseUrl" type="url" className={inputClass} placeholder="https://api.example.com" />}
        </Field>
        <ErrorNote>{save.error?.message}</ErrorNote>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
