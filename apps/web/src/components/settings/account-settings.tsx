'use client';

import { useState, type FormEvent } from 'react';
import { useApiMutation } from '../../lib/queries';
import { Button, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { useMe } from './settings-common';

const MIN_PASSWORD = 10;

/** The signed-in person's own account: who they are, and changing the password (which signs out their other browsers). */
export function AccountSettings() {
  const me = useMe();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const change = useApiMutation<{ currentPassword: string; newPassword: string }, { revokedSessions: number }>({
    method: 'POST',
    path: () => '/auth/password',
    body: (vars) => vars,
    onSuccess: (result) => setDone(result.revokedSessions),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get('newPassword') ?? '');
    setDone(null);
    if (newPassword !== String(form.get('confirmPassword') ?? '')) {
      setMismatch('The two new passwords differ; type the same one twice.');
      return;
    }
    setMismatch(null);
    change.mutate({ currentPassword: String(form.get('currentPassword') ?? ''), newPassword }, { onSuccess: () => formElement.reset() });
  }

  return (
    <div className="space-y-5">
      <Panel title="Your account" id="account">
        {me.isPending ? <Loading label="Loading your account…" /> : null}
        {me.error ? <ErrorNote>{me.error.message} Reload the page to try again.</ErrorNote> : null}
        {me.data ? (
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-muted">Email</dt>
            <dd className="font-medium" data-testid="account-email">
              {me.data.user.email}
            </dd>
            <dt className="text-muted">Role here</dt>
            <dd>
              {me.data.role} of {me.data.teamName ?? 'this team'}
            </dd>
          </dl>
        ) : null}
      </Panel>

      <Panel title="Change password" id="password">
        <p className="mb-3 text-sm text-muted">
          Every other browser signed in as you is signed out; this one stays signed in. API tokens keep working: revoke them under API tokens if they may have leaked.
        </p>
        <form className="grid max-w-md gap-3" onSubmit={onSubmit} aria-label="Change password">
          <Field label="Current password">
            {(control) => <input {...control} name="currentPassword" type="password" autoComplete="current-password" required className={inputClass} />}
          </Field>
          <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`}>
            {(control) => <input {...control} name="newPassword" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} required className={inputClass} />}
          </Field>
          <Field label="Repeat new password" error={mismatch}>
            {(control) => <input {...control} name="confirmPassword" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} required className={inputClass} />}
          </Field>
          <div>
            <Button type="submit" variant="primary" busy={change.isPending}>
              Change password
            </Button>
          </div>
        </form>
        <ErrorNote className="mt-3">{change.error?.message}</ErrorNote>
        {done !== null ? (
          <p role="status" className="mt-3 text-sm text-ok" data-testid="password-changed">
            Password changed. {done === 0 ? 'No other browser was signed in.' : `${done} other ${done === 1 ? 'session was' : 'sessions were'} signed out.`}
          </p>
        ) : null}
      </Panel>
    </div>
  );
}
