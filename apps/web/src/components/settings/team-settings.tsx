'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TeamRole } from '../../lib/api-types';
import { queryKeys, useApiMutation, useApiQuery } from '../../lib/queries';
import { Button, ConfirmDialog, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, settingsKeys, useMe } from './settings-common';

interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: TeamRole;
}

/** The owner's danger zone: hand the team to another member, or delete it with everything in it. */
export function TeamSettings() {
  const me = useMe();
  const isOwner = me.data ? me.data.role === 'owner' : undefined;
  const teamName = me.data?.teamName ?? '';
  return (
    <div className="space-y-4">
      <Panel title="Team" id="team">
        {me.isPending ? <Loading label="Loading your team…" /> : null}
        {me.error ? <ErrorNote>{me.error.message} Reload the page to try again.</ErrorNote> : null}
        {me.data ? (
          <p className="text-sm">
            You are {me.data.role === 'admin' || me.data.role === 'owner' ? 'an' : 'a'} <strong>{me.data.role}</strong> of <strong>{teamName || 'this team'}</strong>.
          </p>
        ) : null}
      </Panel>
      {isOwner === false ? <ReadOnlyNote role={me.data?.role} who="owners" what="transfer or delete the team" /> : null}
      {isOwner ? (
        <Panel title="Danger zone" id="danger-zone" className="border-danger/50">
          <TransferTeam selfId={me.data!.user.id} teamName={teamName} />
          <hr className="my-4 border-border" />
          <DeleteTeam teamName={teamName} />
        </Panel>
      ) : null}
    </div>
  );
}

function TransferTeam({ selfId, teamName }: { selfId: string; teamName: string }) {
  const members = useApiQuery<{ members: Member[] }>(settingsKeys.members, '/members');
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const candidates = members.data?.members.filter((member) => member.userId !== selfId) ?? [];
  const chosen = candidates.find((member) => member.userId === target);
  const transfer = useApiMutation<string>({
    method: 'POST',
    path: () => '/team/transfer',
    body: (userId) => ({ userId }),
    invalidate: [queryKeys.me, queryKeys.teams, settingsKeys.members],
    onSuccess: () => {
      setConfirming(false);
      setTarget('');
    },
  });
  return (
    <div data-testid="transfer-team">
      <h3 className="text-sm font-semibold">Transfer ownership</h3>
      <p className="mt-0.5 mb-3 text-sm text-muted">The member you pick becomes an owner of {teamName || 'the team'}; you stay on as an admin.</p>
      {members.isPending ? <Loading label="Loading members…" /> : null}
      {members.error ? <ErrorNote>{members.error.message} Reload the page to try again.</ErrorNote> : null}
      {members.data && candidates.length === 0 ? (
        <p className="text-sm text-muted">You are the only member. Invite someone under Invites first; then you can hand the team to them.</p>
      ) : null}
      {candidates.length > 0 ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) setConfirming(true);
          }}
        >
          <Field label="New owner" className="min-w-64">
            {(control) => (
              <select {...control} className={inputClass} value={target} onChange={(event) => setTarget(event.target.value)}>
                <option value="">Choose a member…</option>
                {candidates.map((member) => (
                  <option key={member.userId} value={member.userId}>
                    {member.name ? `${member.name} (${member.email})` : member.email} — {member.role}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" variant="danger" disabled={!chosen}>
            Transfer ownership…
          </Button>
        </form>
      ) : null}
      <ConfirmDialog
        open={confirming && chosen !== undefined}
        onOpenChange={(open) => {
          if (!open) {
            setConfirming(false);
            transfer.reset();
          }
        }}
        title={`Make ${chosen?.email ?? ''} the owner?`}
        description="You become an admin: you can no longer transfer or delete the team, or grant the owner role. Only the new owner can give ownership back."
        confirmLabel="Transfer ownership"
        danger
        typeToConfirm={teamName}
        busy={transfer.isPending}
        error={transfer.error?.message}
        onConfirm={() => chosen && transfer.mutate(chosen.userId)}
      />
    </div>
  );
}

function DeleteTeam({ teamName }: { teamName: string }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useApiMutation<void>({
    method: 'DELETE',
    path: () => '/team',
    body: () => ({ confirm: teamName }),
    onSuccess: () => {
      // Everything cached belonged to the deleted team: start again from the home page.
      client.clear();
      window.location.assign('/');
    },
  });
  return (
    <div data-testid="delete-team">
      <h3 className="text-sm font-semibold">Delete this team</h3>
      <p className="mt-0.5 mb-3 text-sm text-muted">
        Removes the team&apos;s workspaces (containers and files), missions and their logs, templates, credentials, invites and API tokens, for every member. Active missions must be cancelled or
        finished first. This cannot be undone.
      </p>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Delete team…
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) remove.reset();
        }}
        title={`Delete ${teamName}?`}
        description="Every member loses access at once and the team's workspaces are destroyed. The audit log keeps a record of the deletion."
        confirmLabel="Delete team"
        danger
        typeToConfirm={teamName}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate()}
      />
    </div>
  );
}
