'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { TeamRole } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { queryKeys, useApiMutation, useApiQuery } from '../../lib/queries';
import { Button, ConfirmDialog, EmptyState, ErrorNote, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, settingsKeys, tableClass, useMe } from './settings-common';

interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: TeamRole;
  joinedAt: string;
}

const ROLES: TeamRole[] = ['owner', 'admin', 'member', 'viewer'];
const ROLE_HINT: Record<TeamRole, string> = {
  owner: 'full control',
  admin: 'people, keys, audit',
  member: 'runs missions',
  viewer: 'read only',
};

/** The roles the signed-in person may pick for this member (the API enforces the same rules). */
function choicesFor(me: { userId: string; role: TeamRole }, member: Member): TeamRole[] {
  if (me.role === 'owner') return ROLES;
  if (me.role !== 'admin' || member.userId === me.userId || member.role === 'owner') return [];
  return ROLES.filter((role) => role !== 'owner');
}

export function MembersSettings() {
  const me = useMe();
  const members = useApiQuery<{ members: Member[] }>(settingsKeys.members, '/members');
  const [removing, setRemoving] = useState<Member | null>(null);
  const [rowError, setRowError] = useState<{ userId: string; message: string } | null>(null);
  const changeRole = useApiMutation<{ userId: string; role: TeamRole }>({
    method: 'PATCH',
    path: (vars) => `/members/${encodeURIComponent(vars.userId)}`,
    body: (vars) => ({ role: vars.role }),
    invalidate: [settingsKeys.members, queryKeys.me],
    onSuccess: () => setRowError(null),
  });
  const remove = useApiMutation<string>({
    method: 'DELETE',
    path: (userId) => `/members/${encodeURIComponent(userId)}`,
    invalidate: [settingsKeys.members],
    onSuccess: () => setRemoving(null),
  });
  const self = me.data ? { userId: me.data.user.id, role: me.data.role } : null;
  const canManage = self ? self.role === 'owner' || self.role === 'admin' : undefined;
  const ownerCount = members.data?.members.filter((member) => member.role === 'owner').length ?? 0;

  return (
    <Panel
      title="Members"
      id="members"
      actions={
        canManage ? (
          <Link href="/settings/invites" className="text-sm">
            Invite people
          </Link>
        ) : null
      }
    >
      {canManage === false ? <ReadOnlyNote role={self?.role} what="change roles or remove members" /> : null}
      {members.isPending ? <Loading label="Loading members…" /> : null}
      {members.error ? <ErrorNote>{members.error.message} Reload the page to try again.</ErrorNote> : null}
      {members.data && members.data.members.length === 1 ? (
        <div className="mb-4">
          <EmptyState title="Just you so far">{canManage ? 'Create an invite link under Invites and send it to a teammate.' : 'Ask an owner or admin to invite your teammates.'}</EmptyState>
        </div>
      ) : null}
      {members.data && self ? (
        <div className="overflow-x-auto">
          <table className={`${tableClass} min-w-[640px]`} data-testid="members-table">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th>Joined</th>
                {canManage ? <th className="text-right">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((member) => {
                const choices = choicesFor(self, member);
                const isSelf = member.userId === self.userId;
                // The last owner can neither leave nor be removed (the API answers last_owner).
                const lastOwner = member.role === 'owner' && ownerCount <= 1;
                const mayRemove = canManage && !lastOwner && (member.role !== 'owner' || self.role === 'owner');
                return (
                  <tr key={member.userId} data-testid="member-row" data-email={member.email}>
                    <td>
                      <div className="font-medium">{member.name ?? member.email}</div>
                      {member.name ? <div className="text-xs text-muted">{member.email}</div> : null}
                      {isSelf ? <div className="text-xs text-muted">you</div> : null}
                      {rowError?.userId === member.userId ? <ErrorNote className="mt-1">{rowError.message}</ErrorNote> : null}
                    </td>
                    <td>
                      {choices.length > 0 ? (
                        <select
                          aria-label={`Role of ${member.email}`}
                          className={`${inputClass} max-w-64`}
                          value={member.role}
                          disabled={changeRole.isPending}
                          onChange={(event) =>
                            changeRole.mutate(
                              { userId: member.userId, role: event.target.value as TeamRole },
                              { onError: (error) => setRowError({ userId: member.userId, message: error.message }) },
                            )
                          }
                        >
                          {choices.map((role) => (
                            <option key={role} value={role}>
                              {role} — {ROLE_HINT[role]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span data-testid="member-role">{member.role}</span>
                      )}
                    </td>
                    <td className="text-xs text-muted">{formatDateTime(member.joinedAt)}</td>
                    {canManage ? (
                      <td className="text-right">
                        {mayRemove ? (
                          <Button size="sm" variant="quiet" className="text-danger!" onClick={() => setRemoving(member)} aria-label={`Remove ${member.email}`}>
                            {isSelf ? 'Leave' : 'Remove'}
                          </Button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title={removing?.userId === self?.userId ? 'Leave this team?' : `Remove ${removing?.email ?? ''}?`}
        description="They lose access to the team's workspaces, missions and settings at once. Their account stays; invite them again to bring them back."
        confirmLabel={removing?.userId === self?.userId ? 'Leave team' : 'Remove member'}
        danger
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing.userId)}
      />
    </Panel>
  );
}
