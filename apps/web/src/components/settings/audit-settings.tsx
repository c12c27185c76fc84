'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import type { TeamRole } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useApiQuery } from '../../lib/queries';
import { Button, EmptyState, ErrorNote, Field, Loading, Panel, inputClass } from '../ui';
import { ReadOnlyNote, settingsKeys, tableClass, useMe } from './settings-common';

interface AuditEntry {
  id: string;
  action: string;
  outcome: string;
  actorId: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  requestId: string | null;
  createdAt: string;
}

interface AuditPage {
  entries: AuditEntry[];
  nextBefore: string | null;
  actions: string[];
}

interface Filters {
  action: string;
  actorId: string;
  outcome: string;
}

const PAGE_SIZE = 50;

function describeMetadata(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');
}

/** Who did what, newest first; "Older" pages back by entry id so nothing repeats or goes missing. */
export function AuditSettings() {
  const me = useMe();
  const role = me.data?.role;
  const canRead = role === 'owner' || role === 'admin';
  const [filters, setFilters] = useState<Filters>({ action: '', actorId: '', outcome: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (before) params.set('before', before);
  const page = useApiQuery<AuditPage>([...settingsKeys.audit, filters, before ?? null], canRead ? `/audit?${params}` : null, { placeholderData: keepPreviousData });
  const members = useApiQuery<{ members: { userId: string; email: string; role: TeamRole }[] }>(settingsKeys.members, canRead ? '/members' : null);

  function setFilter(key: keyof Filters, value: string): void {
    setFilters((current) => ({ ...current, [key]: value }));
    setCursors([]);
  }

  if (me.isPending) return <Loading />;
  if (!canRead) {
    return (
      <Panel title="Audit log" id="audit">
        <ReadOnlyNote role={role} what="read the audit log" />
      </Panel>
    );
  }

  return (
    <Panel title="Audit log" id="audit">
      <div className="mb-4 grid gap-3 md:grid-cols-3" role="search" aria-label="Filter the audit log">
        <Field label="Action">
          {(control) => (
            <select {...control} className={inputClass} value={filters.action} onChange={(event) => setFilter('action', event.target.value)}>
              <option value="">All actions</option>
              {(page.data?.actions ?? []).map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Actor">
          {(control) => (
            <select {...control} className={inputClass} value={filters.actorId} onChange={(event) => setFilter('actorId', event.target.value)}>
              <option value="">Anyone</option>
              {(members.data?.members ?? []).map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.email}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Outcome">
          {(control) => (
            <select {...control} className={inputClass} value={filters.outcome} onChange={(event) => setFilter('outcome', event.target.value)}>
              <option value="">Any outcome</option>
              <option value="ok">ok</option>
              <option value="denied">denied</option>
            </select>
          )}
        </Field>
      </div>
      {page.isPending ? <Loading label="Loading the audit log…" /> : null}
      {page.error ? <ErrorNote>{page.error.message} Change the filters or reload the page.</ErrorNote> : null}
      {page.data && page.data.entries.length === 0 ? (
        <EmptyState title={filters.action || filters.actorId || filters.outcome ? 'Nothing matches these filters' : 'Nothing recorded yet'}>
          {filters.action || filters.actorId || filters.outcome ? 'Clear a filter to see more entries.' : 'Sign-ins, setting changes and mission actions appear here as they happen.'}
        </EmptyState>
      ) : null}
      {page.data && page.data.entries.length > 0 ? (
        <div className="overflow-x-auto" aria-busy={page.isFetching}>
          <table className={`${tableClass} min-w-[980px]`} data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
                <th>Outcome</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {page.data.entries.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                  <td className="text-xs whitespace-nowrap text-muted">{formatDateTime(entry.createdAt)}</td>
                  <td className="text-xs whitespace-nowrap">{entry.actorEmail ?? <span className="text-muted">system</span>}</td>
                  <td className="font-mono text-xs">{entry.action}</td>
                  <td className="font-mono text-xs whitespace-nowrap">{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : '—'}</td>
                  <td className={entry.outcome === 'ok' ? 'text-xs text-ok' : 'text-xs text-danger'}>{entry.outcome}</td>
                  <td className="text-xs text-muted">{describeMetadata(entry.metadata)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="mt-3 flex justify-end gap-2">
        {cursors.length > 0 ? (
          <>
            <Button size="sm" onClick={() => setCursors([])}>
              Newest
            </Button>
            <Button size="sm" onClick={() => setCursors((current) => current.slice(0, -1))}>
              Newer
            </Button>
          </>
        ) : null}
        {page.data?.nextBefore ? (
          <Button size="sm" onClick={() => page.data?.nextBefore && setCursors((current) => [...current, page.data.nextBefore!])}>
            Older
          </Button>
        ) : null}
      </div>
    </Panel>
  );
}
