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
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { action: '', actorId: '', outcome: '', targetType: '', targetId: '', from: '', to: '' };

const TARGET_TYPES = ['workspace', 'mission', 'template', 'credential', 'api_token', 'invite', 'user', 'team', 'session', 'image'];

/** Colour and a word for people who do not see the colour: ok is quiet, refusals warn, breakage is red. */
const OUTCOME_STYLE: Record<string, string> = {
  ok: 'text-ok',
  denied: 'text-warn font-medium',
  locked: 'text-warn font-medium',
  failed: 'text-danger font-medium',
};

/** Date inputs give whole days: `from` starts that day, `to` includes it (the API's `to` is exclusive). */
function toQuery(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['action', 'actorId', 'outcome', 'targetType', 'targetId'] as const) if (filters[key]) params.set(key, filters[key].trim());
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    params.set('to', end.toISOString());
  }
  return params;
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
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const params = toQuery(filters);
  params.set('limit', String(PAGE_SIZE));
  const filtered = Object.values(filters).some(Boolean);
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
      <div className="mb-4 grid gap-3 md:grid-cols-3 lg:grid-cols-4" role="search" aria-label="Filter the audit log">
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
              <option value="failed">failed</option>
              <option value="locked">locked</option>
            </select>
          )}
        </Field>
        <Field label="Target type">
          {(control) => (
            <select {...control} className={inputClass} value={filters.targetType} onChange={(event) => setFilter('targetType', event.target.value)}>
              <option value="">Any target</option>
              {TARGET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Target id">
          {(control) => (
            <input
              {...control}
              className={inputClass}
              value={filters.targetId}
              placeholder="e.g. a workspace or mission id"
              onChange={(event) => setFilter('targetId', event.target.value)}
            />
          )}
        </Field>
        <Field label="From (day)">
          {(control) => <input {...control} type="date" className={inputClass} value={filters.from} max={filters.to || undefined} onChange={(event) => setFilter('from', event.target.value)} />}
        </Field>
        <Field label="To (day, included)">
          {(control) => <input {...control} type="date" className={inputClass} value={filters.to} min={filters.from || undefined} onChange={(event) => setFilter('to', event.target.value)} />}
        </Field>
        <div className="flex items-end">
          <Button
            size="sm"
            disabled={!filtered}
            onClick={() => {
              setFilters(NO_FILTERS);
              setCursors([]);
            }}
          >
            Clear filters
          </Button>
        </div>
      </div>
      {page.isPending ? <Loading label="Loading the audit log…" /> : null}
      {page.error ? <ErrorNote>{page.error.message} Change the filters or reload the page.</ErrorNote> : null}
      {page.data && page.data.entries.length === 0 ? (
        <EmptyState title={filtered ? 'Nothing matches these filters' : 'Nothing recorded yet'}>
          {filtered ? 'Clear a filter to see more entries.' : 'Sign-ins, setting changes and mission actions appear here as they happen.'}
        </EmptyState>
      ) : null}
      {page.data && page.data.entries.length > 0 ? (
        <div className="overflow-x-auto" aria-busy={page.isFetching}>
          <table className={`${tableClass} min-w-[1100px]`} data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
                <th>Outcome</th>
                <th>Request id</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {page.data.entries.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-outcome={entry.outcome}>
                  <td className="text-xs whitespace-nowrap text-muted">{formatDateTime(entry.createdAt)}</td>
                  <td className="text-xs whitespace-nowrap">{entry.actorEmail ?? <span className="text-muted">system</span>}</td>
                  <td className="font-mono text-xs">{entry.action}</td>
                  <td className="font-mono text-xs whitespace-nowrap">
                    {entry.targetType ? (
                      <button
                        type="button"
                        className="rounded text-left hover:underline focus-visible:outline-2 focus-visible:outline-focus"
                        title="Show only this target"
                        onClick={() => {
                          setFilters((current) => ({ ...current, targetType: entry.targetType ?? '', targetId: entry.targetId ?? '' }));
                          setCursors([]);
                        }}
                      >
                        {entry.targetType} {entry.targetId ?? ''}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className={`text-xs ${OUTCOME_STYLE[entry.outcome] ?? 'text-danger'}`} data-testid="audit-outcome">
                    {entry.outcome}
                  </td>
                  {/* The first 8 characters find it in the logs; the whole id is in the tooltip and the API. */}
                  <td className="font-mono text-xs whitespace-nowrap text-muted" title={entry.requestId ?? undefined} data-request-id={entry.requestId ?? ''}>
                    <span data-testid="audit-request-id">{entry.requestId ? entry.requestId.slice(0, 8) : '—'}</span>
                  </td>
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
