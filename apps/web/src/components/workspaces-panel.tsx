'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { Workspace } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { workspacePath } from '../lib/paths';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';

interface Props {
  workspaces: Workspace[] | null;
  loadError: string | null;
  onCreated(workspace: Workspace): void;
}

export function WorkspacesPanel({ workspaces, loadError, onCreated }: Props) {
  const redirectIfSignedOut = useSignInRedirect();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const workspace = await callApi<Workspace>('/workspaces', { method: 'POST', body: { name } });
      setName('');
      onCreated(workspace);
    } catch (failure) {
      if (!redirectIfSignedOut(failure)) setError(messageOf(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="workspaces-heading">
      <h2 id="workspaces-heading">Workspaces</h2>
      <p className="muted small">Each workspace is its own container with a persistent volume.</p>
      {loadError ? <p className="form-error" role="alert">{loadError}</p> : null}
      {workspaces === null && !loadError ? <p className="muted">Loading…</p> : null}
      {workspaces?.length === 0 ? <p className="muted">No workspaces yet. Create the first one below.</p> : null}
      {workspaces && workspaces.length > 0 ? (
        <ul className="workspace-list" data-testid="workspace-list">
          {workspaces.map((workspace) => (
            <li key={workspace.id}>
              <Link href={workspacePath(workspace.id)} className="workspace-name">
                {workspace.name}
              </Link>
              <span className="muted small" title={workspace.statusMessage ?? undefined}>
                {workspace.status} · created {formatDateTime(workspace.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
        <div className="field">
          <label htmlFor="workspace-name">New workspace</label>
          <input
            id="workspace-name"
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. backend"
            maxLength={80}
            required
            aria-describedby={error ? 'workspace-error' : undefined}
          />
        </div>
        <button type="submit" className="button" disabled={pending || name.trim() === ''}>
          {pending ? 'Creating…' : 'Create'}
        </button>
      </form>
      {error ? (
        <p id="workspace-error" className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
