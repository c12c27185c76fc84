import { AgentKind, MissionReviewFilter, MissionStatus, type MissionSortField } from '@garrison/core';

/**
 * The missions board's whole state lives in the URL query, so a filtered view can be shared and
 * survives a reload. Unknown or malformed values are dropped rather than sent to the API.
 */
export interface BoardState {
  status: MissionStatus[];
  agent: string | null;
  workspaceId: string | null;
  authorId: string | null;
  /** Missions whose branch waits for review, was merged or was discarded (issue 9). */
  reviewStatus: MissionReviewFilter | null;
  q: string;
  sort: MissionSortField;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export const BOARD_PAGE_SIZES = [10, 25, 50, 100] as const;
const SORTS: readonly MissionSortField[] = ['created', 'updated', 'duration', 'cost'];

export const DEFAULT_BOARD: BoardState = { status: [], agent: null, workspaceId: null, authorId: null, reviewStatus: null, q: '', sort: 'created', order: 'desc', page: 1, pageSize: 25 };

type Params = { get(name: string): string | null };

export function parseBoardParams(params: Params): BoardState {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part): part is MissionStatus => MissionStatus.safeParse(part).success);
  const agent = params.get('agent');
  const review = MissionReviewFilter.safeParse(params.get('review'));
  const sort = params.get('sort') as MissionSortField | null;
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pageSize'));
  return {
    status: [...new Set(statuses)],
    agent: agent && AgentKind.safeParse(agent).success ? agent : null,
    workspaceId: params.get('workspace') || null,
    authorId: params.get('author') || null,
    reviewStatus: review.success ? review.data : null,
    q: (params.get('q') ?? '').slice(0, 200),
    sort: sort && SORTS.includes(sort) ? sort : DEFAULT_BOARD.sort,
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (BOARD_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_BOARD.pageSize,
  };
}

/** The page's own query string: only what differs from the defaults. */
export function boardSearch(state: BoardState): string {
  const params = new URLSearchParams();
  if (state.status.length) params.set('status', state.status.join(','));
  if (state.agent) params.set('agent', state.agent);
  if (state.workspaceId) params.set('workspace', state.workspaceId);
  if (state.authorId) params.set('author', state.authorId);
  if (state.reviewStatus) params.set('review', state.reviewStatus);
  if (state.q.trim()) params.set('q', state.q.trim());
  if (state.sort !== DEFAULT_BOARD.sort) params.set('sort', state.sort);
  if (state.order !== DEFAULT_BOARD.order) params.set('order', state.order);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_BOARD.pageSize) params.set('pageSize', String(state.pageSize));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GET /api/v1/missions for this state (the path after /api/v1). */
export function boardApiPath(state: BoardState): string {
  const params = new URLSearchParams();
  if (state.status.length) params.set('status', state.status.join(','));
  if (state.agent) params.set('agent', state.agent);
  if (state.workspaceId) params.set('workspaceId', state.workspaceId);
  if (state.authorId) params.set('authorId', state.authorId);
  if (state.reviewStatus) params.set('reviewStatus', state.reviewStatus);
  if (state.q.trim()) params.set('q', state.q.trim());
  params.set('sort', state.sort);
  params.set('order', state.order);
  params.set('page', String(state.page));
  params.set('pageSize', String(state.pageSize));
  return `/missions?${params.toString()}`;
}

export function hasFilters(state: BoardState): boolean {
  return state.status.length > 0 || !!state.agent || !!state.workspaceId || !!state.authorId || !!state.reviewStatus || state.q.trim().length > 0;
}

/** Clicking a column: a new column sorts descending first; the same one flips. Back to page 1. */
export function toggleSort(state: BoardState, sort: MissionSortField): BoardState {
  const order = state.sort === sort ? (state.order === 'desc' ? 'asc' : 'desc') : 'desc';
  return { ...state, sort, order, page: 1 };
}

/** "Showing 26–50 of 120" */
export function showingRange(page: number, pageSize: number, total: number): { from: number; to: number } {
  if (total === 0) return { from: 0, to: 0 };
  const from = (page - 1) * pageSize + 1;
  return { from: Math.min(from, total), to: Math.min(page * pageSize, total) };
}

/** One row of GET /api/v1/missions (the board's fields of it). */
export interface BoardMission {
  id: string;
  status: MissionStatus;
  statusReason: string | null;
  agent: string;
  prompt: string;
  workspaceId: string;
  workspaceName: string;
  authorId: string | null;
  authorEmail: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationS: number | null;
  usage: { costUsd: number };
  /** Repository missions (issue 9): whether its branch waits for a reviewer. */
  reviewStatus?: 'none' | 'ready_for_review' | 'merged' | 'discarded';
}

export interface BoardPage {
  missions: BoardMission[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}
