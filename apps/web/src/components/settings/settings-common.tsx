'use client';

import { useState, type ReactNode } from 'react';
import type { QueryKey } from '@tanstack/react-query';
import type { TeamRole } from '../../lib/api-types';
import { queryKeys, useApiMutation } from '../../lib/queries';
import { useHasRole } from '../../lib/use-role';
import { Button, ConfirmDialog } from '../ui';

/** Settings keys live under `settings` so a team switch (which clears the cache) drops them all. */
export const settingsKeys = {
  credentials: [...queryKeys.settings, 'credentials'] as const,
  members: [...queryKeys.settings, 'members'] as const,
  invites: [...queryKeys.settings, 'invites'] as const,
  tokens: [...queryKeys.settings, 'tokens'] as const,
  audit: [...queryKeys.settings, 'audit'] as const,
};

export { useMe } from '../../lib/use-role';

/** Whether the signed-in person may manage this section; undefined while their role loads. */
export function useCanManage(atLeast: TeamRole = 'admin'): boolean | undefined {
  return useHasRole(atLeast);
}

/** What a viewer or member sees above a read-only section: who can change it. */
export function ReadOnlyNote({ role, who = 'owners and admins', what }: { role: TeamRole | undefined; who?: string; what: string }) {
  if (!role) return null;
  return (
    <p className="mb-4 rounded-md border border-border bg-subtle px-3 py-2 text-sm text-muted" data-testid="read-only-note">
      You are {role === 'admin' ? 'an' : 'a'} {role} of this team, so this is read-only: only {who} can {what}. Ask one of them if something needs to change.
    </p>
  );
}

/** Copies a secret shown once; says so when it worked, and how to copy by hand when it did not. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        {label}
      </Button>
      <span role="status" aria-live="polite" className="text-xs text-muted">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copy failed: select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}

/** Tables scroll sideways on a narrow screen instead of squashing their columns. */
export const tableClass = 'w-full border-collapse text-sm [&_td]:border-t [&_td]:border-border [&_td]:px-3 [&_td]:py-2 [&_th]:px-3 [&_th]:py-2 [&_th]:text-left [&_th]:text-xs [&_th]:font-medium [&_th]:text-muted';

/**
 * A secret the API shows once (a token, an invite link): the warning, what it allows, the value
 * selectable in full, and a copy button.
 */
export function ShownOnce({
  testId,
  valueTestId,
  title,
  children,
  value,
  copyLabel,
  onDismiss,
}: {
  testId: string;
  valueTestId: string;
  title: ReactNode;
  children: ReactNode;
  value: string;
  copyLabel: string;
  onDismiss?: () => void;
}) {
  return (
    <div className="mt-4 rounded-md border border-warn/50 bg-warn-bg p-3" data-testid={testId}>
      <p className="text-sm font-medium">{title}</p>
      <p className="mt-0.5 text-xs text-muted">{children}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 rounded bg-panel px-2 py-1.5 font-mono text-xs break-all select-all" data-testid={valueTestId}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
        {onDismiss ? (
          <Button size="sm" variant="quiet" onClick={onDismiss}>
            I have copied it
          </Button>
        ) : null}
      </div>
    </div>
  );
}

interface RevocableMutation {
  isPending: boolean;
  error: { message: string } | null;
  reset: () => void;
  mutate: (id: string) => void;
}

/** Asks before revoking a row (a token, an invite); closing it forgets a failed attempt. */
export function RevokeDialog<T extends { id: string }>({
  target,
  onClose,
  revoke,
  title,
  description,
  confirmLabel,
}: {
  target: T | null;
  onClose: () => void;
  revoke: RevocableMutation;
  title: string;
  description: string;
  confirmLabel: string;
}) {
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) {
          onClose();
          revoke.reset();
        }
      }}
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      danger
      busy={revoke.isPending}
      error={revoke.error?.message}
      onConfirm={() => target && revoke.mutate(target.id)}
    />
  );
}

/**
 * A list whose rows are created with a secret shown once (tokens, invite links) and revoked by
 * id: the create and revoke mutations under `path`, the row just created (to show its secret),
 * and the row being asked about in the revoke dialog.
 */
export function useCreateAndRevoke<TCreate, TCreated, TRow>(key: QueryKey, path: string) {
  const [created, setCreated] = useState<TCreated | null>(null);
  const [revoking, setRevoking] = useState<TRow | null>(null);
  const create = useApiMutation<TCreate, TCreated>({
    method: 'POST',
    path: () => path,
    body: (vars) => vars,
    invalidate: [key],
    onSuccess: (result) => setCreated(result),
  });
  const revoke = useApiMutation<string>({
    method: 'DELETE',
    path: (id) => `${path}/${encodeURIComponent(id)}`,
    invalidate: [key],
    onSuccess: () => setRevoking(null),
  });
  return { created, setCreated, revoking, setRevoking, create, revoke };
}
