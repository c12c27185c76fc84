'use client';

import { AgentKind, MissionReviewFilter } from '@garrison/core';
import { useEffect, useState } from 'react';
import type { Workspace } from '../lib/api-types';
import { hasFilters, type BoardState } from '../lib/board-query';
import { queryKeys, useApiQuery } from '../lib/queries';
import { StatusFilter } from './status-filter';
import { Button, cx, inputClass } from './ui';

const SEARCH_DEBOUNCE_MS = 300;

const REVIEW_LABEL: Record<MissionReviewFilter, string> = {
  ready_for_review: 'Ready for review',
  merged: 'Merged',
  discarded: 'Discarded',
};

interface Member {
  userId: string;
  email: string;
}

/** The board's filters and search; every change goes to the URL (and back to page 1). */
export function BoardFilters({ state, setState, onClear }: { state: BoardState; setState: (next: BoardState) => void; onClear: () => void }) {
  const workspaces = useApiQuery<{ workspaces: Workspace[] }>(queryKeys.workspaces, '/workspaces', { staleTime: 30_000 });
  const members = useApiQuery<{ members: Member[] }>(['members'], '/members', { staleTime: 60_000 });
  const [search, setSearch] = useState(state.q);

  // A search typed here reaches the URL once typing pauses; one changed elsewhere (Clear, Back) shows here.
  useEffect(() => setSearch(state.q), [state.q]);
  useEffect(() => {
    if (search.trim() === state.q.trim()) return;
    const timer = setTimeout(() => setState({ ...state, q: search, page: 1 }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Only typing starts the timer; state changes from elsewhere are synced by the effect above.
  }, [search]);

  const update = (change: Partial<BoardState>): void => setState({ ...state, ...change, page: 1 });

  return (
    <form role="search" aria-label="Filter missions" className="mb-3 flex flex-wrap items-end gap-2" onSubmit={(event) => event.preventDefault()}>
      <div className="w-full sm:w-64">
        <label htmlFor="board-search" className="mb-1 block text-xs font-medium text-muted">
          Search
        </label>
        <input
          id="board-search"
          type="search"
          className={inputClass}
          placeholder="Prompt text or mission id"
          value={search}
          maxLength={200}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div>
        <span className="mb-1 block text-xs font-medium text-muted" aria-hidden="true">
          Status
        </span>
        <StatusFilter selected={state.status} onChange={(status) => update({ status })} />
      </div>
      <div className="w-36">
        <label htmlFor="board-agent" className="mb-1 block text-xs font-medium text-muted">
          Agent
        </label>
        <select id="board-agent" className={cx(inputClass, 'h-9')} value={state.agent ?? ''} onChange={(event) => update({ agent: event.target.value || null })}>
          <option value="">Any agent</option>
          {AgentKind.options.map((agent) => (
            <option key={agent} value={agent}>
              {agent}
            </option>
          ))}
        </select>
      </div>
      <div className="w-44">
        <label htmlFor="board-workspace" className="mb-1 block text-xs font-medium text-muted">
          Workspace
        </label>
        <select id="board-workspace" className={cx(inputClass, 'h-9')} value={state.workspaceId ?? ''} onChange={(event) => update({ workspaceId: event.target.value || null })}>
          <option value="">Any workspace</option>
          {state.workspaceId && !workspaces.data?.workspaces.some((workspace) => workspace.id === state.workspaceId) ? <option value={state.workspaceId}>{state.workspaceId}</option> : null}
          {workspaces.data?.workspaces.map((workspace) => (
            <option key={workspace.id} value={workspace.id}>
              {workspace.name}
            </option>
          ))}
        </select>
      </div>
      <div className="w-56">
        <label htmlFor="board-author" className="mb-1 block text-xs font-medium text-muted">
          Author
        </label>
        <select id="board-author" className={cx(inputClass, 'h-9')} value={state.authorId ?? ''} onChange={(event) => update({ authorId: event.target.value || null })}>
          <option value="">Anyone</option>
          {state.authorId && !members.data?.members.some((member) => member.userId === state.authorId) ? <option value={state.authorId}>{state.authorId}</option> : null}
          {members.data?.members.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.email}
            </option>
          ))}
        </select>
      </div>
      <div className="w-44">
        <label htmlFor="board-review" className="mb-1 block text-xs font-medium text-muted">
          Review
        </label>
        <select
          id="board-review"
          className={cx(inputClass, 'h-9')}
          value={state.reviewStatus ?? ''}
          onChange={(event) => {
            const parsed = MissionReviewFilter.safeParse(event.target.value);
            update({ reviewStatus: parsed.success ? parsed.data : null });
          }}
        >
          <option value="">Any</option>
          {MissionReviewFilter.options.map((review) => (
            <option key={review} value={review}>
              {REVIEW_LABEL[review]}
            </option>
          ))}
        </select>
      </div>
      {hasFilters(state) ? (
        <Button variant="quiet" onClick={onClear}>
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
