'use client';

import { STATUS_AFTER, type WorkspaceOperation } from '@garrison/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Workspace } from '../lib/api-types';
import { queryKeys, useApiMutation } from '../lib/queries';
import { Button, ConfirmDialog, ErrorNote, cx } from './ui';
import { VIEWER_REASON, useCanWrite } from '../lib/use-role';

type Operation = Exclude<WorkspaceOperation, 'provision'>;

interface OperationInfo {
  label: string;
  busy: string;
  hint: string;
  /** Asked before it runs: what the person loses. */
  confirm?: string;
}

const OPERATIONS: Record<Operation, OperationInfo> = {
  start: { label: 'Start', busy: 'Starting…', hint: 'Start the container (files are kept on its volume).' },
  resume: { label: 'Resume', busy: 'Resuming…', hint: 'Unfreeze the paused container.' },
  pause: {
    label: 'Pause',
    busy: 'Pausing…',
    hint: 'Freeze every process; resume continues where it was.',
    confirm: 'Every process in it freezes, terminals included, until you resume it. Nothing is lost.',
  },
  stop: {
    label: 'Stop',
    busy: 'Stopping…',
    hint: 'Stop the container; files stay, processes end.',
    confirm: 'Its processes and terminals end; the files on its volume stay, and Start brings it back.',
  },
  rebuild: {
    label: 'Rebuild',
    busy: 'Rebuilding…',
    hint: 'A new container from the current image on the same files.',
    confirm: 'A new container is made from the current image on the same files; running processes and terminals end.',
  },
  destroy: {
    label: 'Destroy…',
    busy: 'Destroying…',
    hint: 'Remove the container and every file in it.',
    confirm: 'The container and every file in the workspace are removed for good. This cannot be undone.',
  },
};

const ORDER: Operation[] = ['start', 'resume', 'pause', 'stop', 'rebuild', 'destroy'];

interface Props {
  workspace: Workspace;
  size?: 'sm' | 'md';
  /** After the destroy request was accepted (the detail page leaves). */
  onDestroyed?(): void;
}

/**
 * Lifecycle operations the workspace's status allows. What would end processes asks first
 * (destroy wants the name typed); once accepted, a progress line stays until the worker has
 * moved the workspace to where the operation leads (pushed by the team room, polled as a fallback).
 */
export function WorkspaceActions({ workspace, size = 'md', onDestroyed }: Props) {
  const canWrite = useCanWrite() !== false;
  const client = useQueryClient();
  const [confirming, setConfirming] = useState<Operation | null>(null);
  const [inFlight, setInFlight] = useState<Operation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const allowed = new Set(workspace.allowedOperations ?? []);
  const invalidate = [queryKeys.workspaces, queryKeys.workspace(workspace.id), queryKeys.overview] as const;

  const onAccepted = (operation: Operation) => {
    setConfirming(null);
    setError(null);
    setInFlight(operation);
    if (operation === 'destroy') onDestroyed?.();
  };
  const operate = useApiMutation<Operation, Workspace>({
    method: 'POST',
    path: (operation) => `/workspaces/${encodeURIComponent(workspace.id)}/${operation}`,
    invalidate,
    onSuccess: (_result, operation) => onAccepted(operation),
  });
  const destroy = useApiMutation<string, Workspace>({
    method: 'DELETE',
    path: () => `/workspaces/${encodeURIComponent(workspace.id)}`,
    body: (confirmName) => ({ confirmName }),
    invalidate,
    onSuccess: () => onAccepted('destroy'),
  });

  // Done once the workspace reached where the operation leads, or failed on the way.
  useEffect(() => {
    if (!inFlight) return;
    if (workspace.status === STATUS_AFTER[inFlight] || workspace.status === 'error') setInFlight(null);
  }, [inFlight, workspace.status]);
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => {
      void client.invalidateQueries({ queryKey: queryKeys.workspaces });
      void client.invalidateQueries({ queryKey: queryKeys.workspace(workspace.id) });
    }, 2_000);
    return () => clearInterval(timer);
  }, [inFlight, client, workspace.id]);

  function run(operation: Operation): void {
    setError(null);
    if (OPERATIONS[operation].confirm) {
      operate.reset();
      destroy.reset();
      setConfirming(operation);
      return;
    }
    operate.mutate(operation, { onError: (failure) => setError(failure.message) });
  }

  const pending = operate.isPending || destroy.isPending;
  const info = confirming ? OPERATIONS[confirming] : null;
  // Viewers may not change workspaces (the API answers 403): say so where the buttons would be.
  if (!canWrite) return <span className="text-xs text-muted" title={VIEWER_REASON} data-testid="viewer-note">Viewers cannot start, stop or destroy workspaces</span>;
  return (
    <div className="flex flex-col items-end gap-1.5">
      {inFlight ? (
        <p className="flex items-center gap-2 text-sm text-muted" role="status" data-testid="workspace-operation">
          <span className="inline-block size-3.5 animate-spin rounded-full border-2 border-border-strong border-t-primary motion-reduce:animate-none" aria-hidden="true" />
          {OPERATIONS[inFlight].busy}
        </p>
      ) : (
        <div className="flex flex-wrap justify-end gap-1.5" role="group" aria-label={`Actions for ${workspace.name}`}>
          {ORDER.filter((operation) => allowed.has(operation)).map((operation) => (
            <Button
              key={operation}
              size={size === 'sm' ? 'sm' : 'md'}
              variant={operation === 'destroy' ? 'quiet' : 'secondary'}
              className={cx(operation === 'destroy' && 'text-danger')}
              title={OPERATIONS[operation].hint}
              busy={operate.isPending && operate.variables === operation}
              disabled={pending}
              onClick={() => run(operation)}
            >
              {OPERATIONS[operation].label}
            </Button>
          ))}
        </div>
      )}
      <ErrorNote className="max-w-md">{error}</ErrorNote>
      {confirming && info ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) setConfirming(null);
          }}
          title={`${confirming === 'destroy' ? 'Destroy' : info.label} ${workspace.name}?`}
          description={info.confirm}
          confirmLabel={confirming === 'destroy' ? 'Destroy workspace' : `${info.label} workspace`}
          danger={confirming === 'destroy' || confirming === 'rebuild' || confirming === 'stop'}
          typeToConfirm={confirming === 'destroy' ? workspace.name : undefined}
          busy={pending}
          error={(confirming === 'destroy' ? destroy.error : operate.error)?.message ?? null}
          onConfirm={() => (confirming === 'destroy' ? destroy.mutate(workspace.name) : operate.mutate(confirming))}
        />
      ) : null}
    </div>
  );
}
