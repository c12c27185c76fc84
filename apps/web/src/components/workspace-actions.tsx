'use client';

import { useRef, useState, type FormEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { Workspace } from '../lib/api-types';

const OPERATIONS = [
  { operation: 'start', label: 'Start', hint: 'Start the container (files are kept on its volume).' },
  { operation: 'resume', label: 'Resume', hint: 'Unfreeze the paused container.' },
  { operation: 'pause', label: 'Pause', hint: 'Freeze every process; resume continues where it was.' },
  { operation: 'stop', label: 'Stop', hint: 'Stop the container; files stay, processes end.' },
  { operation: 'rebuild', label: 'Rebuild', hint: 'A new container from the current image on the same files.' },
] as const;

interface Props {
  workspace: Workspace;
  onChanged(): void;
  onDestroyed(): void;
}

/** Lifecycle buttons for what the workspace's status allows, and destroy behind its name. */
export function WorkspaceActions({ workspace, onChanged, onDestroyed }: Props) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmName, setConfirmName] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const allowed = new Set(workspace.allowedOperations ?? []);

  async function run(operation: string): Promise<void> {
    setPending(operation);
    setError(null);
    try {
      await callApi(`/workspaces/${encodeURIComponent(workspace.id)}/${operation}`, { method: 'POST' });
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setPending(null);
    }
  }

  async function destroy(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setPending('destroy');
    setError(null);
    try {
      await callApi(`/workspaces/${encodeURIComponent(workspace.id)}`, { method: 'DELETE', body: { confirmName } });
      dialog.current?.close();
      onDestroyed();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="workspace-actions">
      <div className="action-row" role="group" aria-label="Workspace lifecycle">
        {OPERATIONS.filter(({ operation }) => allowed.has(operation)).map(({ operation, label, hint }) => (
          <button key={operation} type="button" className="button" title={hint} disabled={pending !== null} onClick={() => void run(operation)}>
            {pending === operation ? `${label}…` : label}
          </button>
        ))}
        {allowed.has('destroy') ? (
          <button
            type="button"
            className="button button-danger"
            disabled={pending !== null}
            onClick={() => {
              setConfirmName('');
              dialog.current?.showModal();
            }}
          >
            Destroy…
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="destroy-heading">
        <form method="dialog" onSubmit={(event) => void destroy(event)}>
          <h2 id="destroy-heading">Destroy {workspace.name}?</h2>
          <p>The container and every file in the workspace are removed for good. Type its name to confirm.</p>
          <div className="field">
            <label htmlFor="destroy-name">Workspace name</label>
            <input id="destroy-name" value={confirmName} onChange={(event) => setConfirmName(event.target.value)} autoComplete="off" placeholder={workspace.name} />
          </div>
          <div className="form-actions">
            <button type="button" className="button button-quiet" onClick={() => dialog.current?.close()}>
              Keep it
            </button>
            <button type="submit" className="button button-danger" disabled={confirmName !== workspace.name || pending === 'destroy'}>
              {pending === 'destroy' ? 'Destroying…' : 'Destroy workspace'}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
