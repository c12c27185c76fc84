'use client';

import type { FormEvent } from 'react';
import { formatDateTime } from '../../lib/format';
import { useApiQuery } from '../../lib/queries';
import { Button, EmptyState, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { RevokeDialog, settingsKeys, ShownOnce, tableClass, useCreateAndRevoke, useMe } from './settings-common';

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const EXPIRY_CHOICES = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
];

function stateOf(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

/** Your own tokens for this team: for scripts and the CLI, shown once, revocable any time. */
export function TokensSettings() {
  const me = useMe();
  const tokens = useApiQuery<{ tokens: ApiToken[] }>(settingsKeys.tokens, '/tokens');
  const { created, setCreated, revoking, setRevoking, create, revoke } = useCreateAndRevoke<
    { name: string; scopes: string[]; expiresInDays?: number },
    ApiToken & { token: string },
    ApiToken
  >(settingsKeys.tokens, '/tokens');

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get('expiresInDays'));
    setCreated(null);
    create.mutate(
      { name: String(form.get('name') ?? '').trim(), scopes: form.get('write') ? ['read', 'write'] : ['read'], ...(days ? { expiresInDays: days } : {}) },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <div className="space-y-5">
      <Panel title="Create an API token" id="token-create">
        <p className="mb-3 text-sm text-muted">
          A token acts as you in {me.data?.teamName ?? 'this team'} with your role ({me.data?.role ?? '…'}). Send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
        </p>
        <form className="grid items-end gap-3 md:grid-cols-[1fr_9rem_auto_auto]" onSubmit={onSubmit}>
          <Field label="Name">
            {(control) => <input {...control} name="name" className={inputClass} required maxLength={80} />}
          </Field>
          <Field label="Expires after">
            {(control) => (
              <select {...control} name="expiresInDays" className={inputClass} defaultValue="90">
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.days} value={choice.days}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="flex h-9 items-center gap-2 text-sm">
            <input type="checkbox" name="write" defaultChecked className="size-4 accent-[var(--primary)]" />
            Allow changes (write)
          </label>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create token
          </Button>
        </form>
        <p className="mt-2 text-xs text-muted">Name it after what uses it (ci, laptop-cli). Without write, the token can only read; it is refused on anything that changes data.</p>
        <ErrorNote>{create.error?.message}</ErrorNote>
        {created ? (
          <ShownOnce
            testId="token-once"
            valueTestId="token-secret"
            title={<>Copy the token &ldquo;{created.name}&rdquo; now: it will not be shown again.</>}
            value={created.token}
            copyLabel="Copy token"
            onDismiss={() => setCreated(null)}
          >
            Store it like a password. It can {created.scopes.includes('write') ? 'read and change' : 'only read'} this team&apos;s data
            {created.expiresAt ? ` until ${formatDateTime(created.expiresAt)}` : ' until you revoke it'}.
          </ShownOnce>
        ) : null}
      </Panel>

      <Panel title="Your tokens" id="tokens">
        {tokens.isPending ? <Loading label="Loading tokens…" /> : null}
        {tokens.error ? <ErrorNote>{tokens.error.message} Reload the page to try again.</ErrorNote> : null}
        {tokens.data && tokens.data.tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">Create one above to call the API from a script or CI; read-only tokens are safest for dashboards and reports.</EmptyState>
        ) : null}
        {tokens.data && tokens.data.tokens.length > 0 ? (
          <div className="overflow-x-auto">
            <table className={`${tableClass} min-w-[860px]`} data-testid="tokens-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Token</th>
                  <th>Scopes</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th>Last used</th>
                  <th>State</th>
                  <th className="text-right">Actions</th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((token) => {
                  const state = stateOf(token);
                  return (
                    <tr key={token.id} data-testid="token-row">
                      <td className="font-medium">{token.name}</td>
                      <td className="font-mono text-xs">{token.prefix}…</td>
                      <td className="text-xs">{token.scopes.join(', ')}</td>
                      <td className="text-xs text-muted">{formatDateTime(token.createdAt)}</td>
                      <td className="text-xs text-muted">{token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}</td>
                      <td className="text-xs text-muted">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never used'}</td>
                      <td className={state === 'active' ? 'text-ok' : 'text-muted'}>{state}</td>
                      <td className="text-right">
                        {state === 'active' ? (
                          <Button size="sm" variant="quiet" className="text-danger!" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.name}`}>
                            Revoke
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
      <RevokeDialog
        target={revoking}
        onClose={() => setRevoking(null)}
        revoke={revoke}
        title={`Revoke the token "${revoking?.name ?? ''}"?`}
        description="Scripts using it get 401 from now on. This cannot be undone; create a new token to replace it."
        confirmLabel="Revoke token"
      />
    </div>
  );
}
