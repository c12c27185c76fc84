'use client';

import type { FormEvent } from 'react';
import type { TeamRole } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useApiQuery } from '../../lib/queries';
import { Button, EmptyState, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, RevokeDialog, settingsKeys, ShownOnce, tableClass, useCanManage, useCreateAndRevoke, useMe } from './settings-common';

type InviteState = 'pending' | 'expired' | 'accepted' | 'revoked';

interface Invite {
  id: string;
  email: string | null;
  role: TeamRole;
  state: InviteState;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

interface CreatedInvite {
  invite: Invite;
  token: string;
  url: string;
}

const EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

const STATE_CLASS: Record<InviteState, string> = {
  pending: 'text-ok',
  accepted: 'text-muted',
  expired: 'text-warn',
  revoked: 'text-danger',
};

export function InvitesSettings() {
  const me = useMe();
  const role = me.data?.role;
  const canManage = useCanManage() === true;
  const invites = useApiQuery<{ invites: Invite[] }>(settingsKeys.invites, canManage ? '/invites' : null);
  const { created, setCreated, revoking, setRevoking, create, revoke } = useCreateAndRevoke<
    { email?: string; role: TeamRole; expiresInHours: number },
    CreatedInvite,
    Invite
  >(settingsKeys.invites, '/invites');

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    setCreated(null);
    create.mutate({ role: form.get('role') as TeamRole, expiresInHours: Number(form.get('expiresInHours')), ...(email ? { email } : {}) });
  }

  if (me.isPending) return <Loading />;
  if (!canManage) {
    return (
      <Panel title="Invites" id="invites">
        <ReadOnlyNote role={role} what="create and revoke invite links" />
      </Panel>
    );
  }
  const link = created ? `${window.location.origin}${created.url}` : null;

  return (
    <div className="space-y-5">
      <Panel title="Invite someone" id="invite-create">
        <form className="grid items-end gap-3 md:grid-cols-[1fr_10rem_9rem_auto]" onSubmit={onSubmit}>
          <Field label="Email (optional)">
            {(control) => <input {...control} name="email" type="email" className={inputClass} placeholder="teammate@example.com" />}
          </Field>
          <Field label="Role">
            {(control) => (
              <select {...control} name="role" className={inputClass} defaultValue="member">
                {(role === 'owner' ? ['owner', 'admin', 'member', 'viewer'] : ['admin', 'member', 'viewer']).map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Expires after">
            {(control) => (
              <select {...control} name="expiresInHours" className={inputClass} defaultValue="72">
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.hours} value={choice.hours}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create link
          </Button>
        </form>
        <p className="mt-2 text-xs text-muted">With an email, only that address can use the link; without one, anyone who has the link can join. The person picks their own password.</p>
        <ErrorNote className="mt-3">{create.error?.message}</ErrorNote>
        {link && created ? (
          <ShownOnce testId="invite-link-once" valueTestId="invite-link" title="Copy this link now: it is shown only once." value={link} copyLabel="Copy link">
            Anyone with it can join as {created.invite.role}
            {created.invite.email ? ` (signed in as ${created.invite.email})` : ''} until {formatDateTime(created.invite.expiresAt)}. Send it privately.
          </ShownOnce>
        ) : null}
      </Panel>

      <Panel title="Invite links" id="invites">
        {invites.isPending ? <Loading label="Loading invites…" /> : null}
        {invites.error ? <ErrorNote>{invites.error.message} Reload the page to try again.</ErrorNote> : null}
        {invites.data && invites.data.invites.length === 0 ? (
          <EmptyState title="No invites yet">Create a link above and send it to a teammate; they choose a password when they open it.</EmptyState>
        ) : null}
        {invites.data && invites.data.invites.length > 0 ? (
          <div className="overflow-x-auto">
            <table className={`${tableClass} min-w-[640px]`} data-testid="invites-table">
              <thead>
                <tr>
                  <th>For</th>
                  <th>Role</th>
                  <th>State</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th className="text-right">Actions</th>
                </tr>
              </thead>
              <tbody>
                {invites.data.invites.map((invite) => (
                  <tr key={invite.id} data-testid="invite-row">
                    <td>{invite.email ?? <span className="text-muted">anyone with the link</span>}</td>
                    <td>{invite.role}</td>
                    <td className={STATE_CLASS[invite.state]} data-testid="invite-state">
                      {invite.state}
                    </td>
                    <td className="text-xs text-muted">{formatDateTime(invite.createdAt)}</td>
                    <td className="text-xs text-muted">{formatDateTime(invite.expiresAt)}</td>
                    <td className="text-right">
                      {invite.state === 'pending' ? (
                        <Button size="sm" variant="quiet" className="text-danger!" onClick={() => setRevoking(invite)}>
                          Revoke
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
      <RevokeDialog
        target={revoking}
        onClose={() => setRevoking(null)}
        revoke={revoke}
        title="Revoke this invite link?"
        description="Whoever has the link can no longer join with it. Create a new link if you still want them in the team."
        confirmLabel="Revoke link"
      />
    </div>
  );
}
