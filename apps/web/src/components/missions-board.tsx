'use client';

import { keepPreviousData } from '@tanstack/react-query';
import type { MissionSortField } from '@garrison/core';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { formatSeconds, formatUsd } from '../lib/chart-scale';
import {
  BOARD_PAGE_SIZES,
  boardApiPath,
  boardSearch,
  DEFAULT_BOARD,
  hasFilters,
  parseBoardParams,
  showingRange,
  toggleSort,
  type BoardPage,
  type BoardState,
} from '../lib/board-query';
import { firstLine, formatDateTime, formatRelative } from '../lib/format';
import { missionPath, reviewPath, workspacePath } from '../lib/paths';
import { queryKeys, useApiQuery } from '../lib/queries';
import { StatusBadge } from './status-badge';
import { BoardFilters } from './board-filters';
import { Button, cx, EmptyState, ErrorNote, inputClass, Loading, PageHeader } from './ui';

const COLUMNS: { label: string; sort?: MissionSortField; align?: 'right' }[] = [
  { label: 'Status' },
  { label: 'Mission' },
  { label: 'Agent' },
  { label: 'Workspace' },
  { label: 'Author' },
  { label: 'Created', sort: 'created' },
  { label: 'Updated', sort: 'updated' },
  { label: 'Duration', sort: 'duration', align: 'right' },
  { label: 'Cost', sort: 'cost', align: 'right' },
];

/** The board's state is the URL: replacing it (not pushing) keeps Back meaningful while typing. */
function useBoardState(): [BoardState, (next: BoardState) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => parseBoardParams(params), [params]);
  const setState = (next: BoardState): void => router.replace(`${pathname}${boardSearch(next)}`, { scroll: false });
  return [state, setState];
}

function SortHeader({ column, state, onSort }: { column: (typeof COLUMNS)[number]; state: BoardState; onSort: (sort: MissionSortField) => void }) {
  const active = column.sort && state.sort === column.sort;
  const ariaSort = !column.sort ? undefined : active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} className={cx('px-2 py-2 font-medium whitespace-nowrap', column.align === 'right' ? 'text-right' : 'text-left')}>
      {column.sort ? (
        <button
          type="button"
          onClick={() => onSort(column.sort!)}
          className="inline-flex items-center gap-1 rounded hover:text-fg focus-visible:outline-2 focus-visible:outline-focus"
        >
          {column.label}
          <span aria-hidden="true" className={active ? 'text-fg' : 'opacity-40'}>
            {active ? (state.order === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      ) : (
        column.label
      )}
    </th>
  );
}

/** Every mission of the team: filter, search, sort and page, all kept in the URL; live through the team room. */
export function MissionsBoard() {
  const [state, setState] = useBoardState();
  const router = useRouter();
  const board = useApiQuery<BoardPage>([...queryKeys.missions, 'board', state], boardApiPath(state), { placeholderData: keepPreviousData });
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => setNow(Date.now()), [board.data]);

  const update = (change: Partial<BoardState>): void => setState({ ...state, ...change, page: change.page ?? 1 });
  const clearFilters = (): void => {
    setState({ ...DEFAULT_BOARD, sort: state.sort, order: state.order, pageSize: state.pageSize });
  };
  const filtered = hasFilters(state);
  const data = board.data;
  const range = data ? showingRange(data.page, data.pageSize, data.total) : null;

  return (
    <>
      <PageHeader title="Missions" description="Every mission of your team, across workspaces. Filters, sort and page live in the address, so you can share this view." />
      <BoardFilters state={state} setState={setState} onClear={clearFilters} />

      {board.isError ? <ErrorNote className="mb-3">Could not load missions: {board.error.message} Change the filters or reload the page.</ErrorNote> : null}
      {board.isPending ? <Loading label="Loading missions…" /> : null}
      {data && data.total === 0 && !filtered ? (
        <EmptyState
          title="No missions yet"
          action={
            <Link href="/workspaces" className="inline-flex h-9 items-center rounded-md border border-border-strong bg-panel px-3.5 text-sm font-medium no-underline hover:bg-subtle">
              Go to workspaces
            </Link>
          }
        >
          Dispatch one with <strong>New mission</strong> in the top bar (or press <kbd className="font-mono">n</kbd>). You need a workspace first; every mission of your team then shows up here, live.
        </EmptyState>
      ) : null}
      {data && data.total === 0 && filtered ? (
        <EmptyState title="No missions match these filters" action={<Button onClick={clearFilters}>Clear filters</Button>}>
          Try fewer filters or another search.
        </EmptyState>
      ) : null}

      {data && data.missions.length > 0 ? (
        <div className={cx('overflow-x-auto rounded-lg border border-border bg-panel', board.isPlaceholderData && 'opacity-70')} aria-busy={board.isFetching}>
          <table className="w-full min-w-[900px] text-sm" data-testid="missions-board">
            <caption className="sr-only">
              Missions, sorted by {state.sort} {state.order === 'asc' ? 'ascending' : 'descending'}; page {data.page} of {data.pageCount}
            </caption>
            <thead className="border-b border-border text-xs text-muted">
              <tr>
                {COLUMNS.map((column) => (
                  <SortHeader key={column.label} column={column} state={state} onSort={(sort) => setState(toggleSort(state, sort))} />
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {data.missions.map((mission) => (
                <tr
                  key={mission.id}
                  data-mission={mission.id}
                  className="cursor-pointer hover:bg-subtle focus-within:bg-subtle"
                  onClick={(event) => {
                    if ((event.target as HTMLElement).closest('a, button')) return;
                    router.push(missionPath(mission.id));
                  }}
                >
                  <td className="px-2 py-2 whitespace-nowrap">
                    <StatusBadge status={mission.status} />
                    {mission.reviewStatus === 'ready_for_review' ? (
                      <Link href={reviewPath(mission.id)} className="ml-1.5 rounded-full border border-warn/30 bg-warn-bg px-2 py-0.5 text-xs font-medium text-warn hover:underline" data-testid="board-review-link">
                        Review
                      </Link>
                    ) : null}
                  </td>
                  <td className="max-w-[22rem] px-2 py-2">
                    <Link href={missionPath(mission.id)} className="block truncate font-medium" title={firstLine(mission.prompt, 400)}>
                      {firstLine(mission.prompt, 120) || mission.id}
                    </Link>
                    <span className="font-mono text-xs text-muted">{mission.id.slice(0, 10)}</span>
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap">{mission.agent}</td>
                  <td className="max-w-40 truncate px-2 py-2">
                    <Link href={workspacePath(mission.workspaceId)} className="text-fg">
                      {mission.workspaceName}
                    </Link>
                  </td>
                  <td className="max-w-48 truncate px-2 py-2 text-muted" title={mission.authorEmail ?? undefined}>
                    {mission.authorEmail ?? '—'}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap text-muted" title={formatDateTime(mission.createdAt)}>
                    {formatRelative(mission.createdAt, now)}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap text-muted" title={formatDateTime(mission.updatedAt)}>
                    {formatRelative(mission.updatedAt, now)}
                  </td>
                  <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">{formatSeconds(mission.durationS)}</td>
                  <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">{formatUsd(mission.usage.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && data.total > 0 && data.missions.length === 0 ? (
        <EmptyState title={`Page ${data.page} is past the end`} action={<Button onClick={() => update({ page: data.pageCount })}>Go to the last page</Button>}>
          There are {data.total} matching missions on {data.pageCount} pages.
        </EmptyState>
      ) : null}

      {data && data.total > 0 ? (
        <nav aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
          <p data-testid="board-range" aria-live="polite">
            Showing {range!.from}–{range!.to} of {data.total}
          </p>
          <div className="flex items-center gap-2">
            <label htmlFor="board-page-size" className="whitespace-nowrap text-muted">
              Per page
            </label>
            <div className="w-20">
              <select id="board-page-size" className={cx(inputClass, 'h-8 py-0')} value={state.pageSize} onChange={(event) => update({ pageSize: Number(event.target.value) })}>
                {BOARD_PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </div>
            <Button size="sm" disabled={data.page <= 1} onClick={() => update({ page: data.page - 1 })}>
              ← Previous
            </Button>
            <span data-testid="board-page" className="whitespace-nowrap">
              Page {data.page} of {data.pageCount}
            </span>
            <Button size="sm" disabled={data.page >= data.pageCount} onClick={() => update({ page: data.page + 1 })}>
              Next →
            </Button>
          </div>
        </nav>
      ) : null}
    </>
  );
}
