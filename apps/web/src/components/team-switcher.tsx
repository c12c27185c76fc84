'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { callApi, messageOf } from '../lib/api';
import { useMe } from '../lib/use-role';
import { cx } from './ui';

/**
 * The active team, and with several teams a menu to switch. Switching points the session at the
 * other team, then reloads the overview: every cached query and the team-room socket belong to
 * the old team, and a full load is the one reset that cannot miss any of them.
 */
export function TeamSwitcher() {
  const client = useQueryClient();
  const me = useMe();
  const [switching, setSwitching] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const teams = me.data?.teams ?? [];
  const active = teams.find((team) => team.id === me.data?.teamId);
  const label = active?.name ?? me.data?.teamName ?? null;
  if (!me.data || !label) return null;

  async function switchTo(teamId: string): Promise<void> {
    setSwitching(teamId);
    setError(null);
    try {
      await callApi('/auth/team', { method: 'POST', body: { teamId } });
      client.clear();
      window.location.assign('/');
    } catch (failure) {
      setError(messageOf(failure));
      setSwitching(null);
    }
  }

  if (teams.length < 2) {
    return (
      <span className="max-w-48 truncate text-sm font-medium text-muted" data-testid="team-name" title={`Team: ${label} (you are ${me.data.role})`}>
        {label}
      </span>
    );
  }

  return (
    <div className="flex items-center gap-2">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          className={cx(
            'inline-flex h-8 max-w-56 items-center gap-1.5 rounded-md border border-border-strong bg-panel px-2.5 text-sm font-medium',
            'hover:bg-subtle focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus',
          )}
          aria-label={`Team: ${label}. Switch team`}
          data-testid="team-switcher"
        >
          <span className="truncate" data-testid="team-name">
            {switching ? 'Switching…' : label}
          </span>
          <span aria-hidden="true" className="text-muted">
            ▾
          </span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="start" sideOffset={6} className="z-50 min-w-56 rounded-md border border-border bg-panel p-1 text-fg shadow-xl">
            <DropdownMenu.Label className="px-2 py-1.5 text-xs text-muted">Switch team</DropdownMenu.Label>
            <DropdownMenu.RadioGroup value={me.data.teamId} onValueChange={(teamId) => teamId !== me.data?.teamId && void switchTo(teamId)}>
              {teams.map((team) => (
                <DropdownMenu.RadioItem
                  key={team.id}
                  value={team.id}
                  disabled={switching !== null}
                  className="flex cursor-pointer items-center justify-between gap-3 rounded px-2 py-1.5 text-sm outline-none select-none data-[disabled]:opacity-60 data-[highlighted]:bg-subtle"
                >
                  <span className="flex items-center gap-2">
                    <span className="w-3" aria-hidden="true">
                      <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
                    </span>
                    <span className="truncate">{team.name}</span>
                  </span>
                  <span className="text-xs text-muted">{team.role}</span>
                </DropdownMenu.RadioItem>
              ))}
            </DropdownMenu.RadioGroup>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {error ? (
        <span role="alert" className="text-sm text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
