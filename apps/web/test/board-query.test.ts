import { describe, expect, it } from 'vitest';
import { boardApiPath, boardSearch, DEFAULT_BOARD, hasFilters, parseBoardParams, showingRange, toggleSort } from '../src/lib/board-query';
import { axisTicks, formatBytes, niceCeiling, usedPercent } from '../src/lib/chart-scale';

describe('missions board URL state', () => {
  it('round-trips through the URL and drops what the API would refuse', () => {
    const state = parseBoardParams(new URLSearchParams('status=running,bogus,running&agent=shell&workspace=w1&author=u1&review=merged&q=login&sort=cost&order=asc&page=3&pageSize=50'));
    expect(state).toEqual({ status: ['running'], agent: 'shell', workspaceId: 'w1', authorId: 'u1', reviewStatus: 'merged', q: 'login', sort: 'cost', order: 'asc', page: 3, pageSize: 50 });
    expect(parseBoardParams(new URLSearchParams(boardSearch(state).slice(1)))).toEqual(state);
    expect(parseBoardParams(new URLSearchParams('agent=gpt&sort=name&page=-1&pageSize=7&review=none'))).toEqual(DEFAULT_BOARD);
    expect(parseBoardParams(new URLSearchParams('review=approved')).reviewStatus).toBeNull();
    expect(boardSearch({ ...DEFAULT_BOARD, reviewStatus: 'ready_for_review' })).toBe('?review=ready_for_review');
    expect(boardSearch(DEFAULT_BOARD)).toBe('');
  });

  it('asks the API with its own parameter names', () => {
    const path = boardApiPath({ ...DEFAULT_BOARD, status: ['failed', 'canceled'], workspaceId: 'w 1', q: ' x ' });
    expect(path).toBe('/missions?status=failed%2Ccanceled&workspaceId=w+1&q=x&sort=created&order=desc&page=1&pageSize=25');
    expect(boardApiPath({ ...DEFAULT_BOARD, reviewStatus: 'ready_for_review' })).toBe('/missions?reviewStatus=ready_for_review&sort=created&order=desc&page=1&pageSize=25');
  });

  it('sorts a new column descending first, flips the same one, and goes back to page 1', () => {
    const byCost = toggleSort({ ...DEFAULT_BOARD, page: 4 }, 'cost');
    expect(byCost).toMatchObject({ sort: 'cost', order: 'desc', page: 1 });
    expect(toggleSort(byCost, 'cost').order).toBe('asc');
    expect(hasFilters(DEFAULT_BOARD)).toBe(false);
    expect(hasFilters({ ...DEFAULT_BOARD, q: 'a' })).toBe(true);
    expect(hasFilters({ ...DEFAULT_BOARD, reviewStatus: 'discarded' })).toBe(true);
  });

  it('says which rows a page shows', () => {
    expect(showingRange(2, 25, 60)).toEqual({ from: 26, to: 50 });
    expect(showingRange(3, 25, 60)).toEqual({ from: 51, to: 60 });
    expect(showingRange(1, 25, 0)).toEqual({ from: 0, to: 0 });
  });
});

describe('chart scales', () => {
  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 3, 7, 12, 51, 0.013].map((value) => niceCeiling(value, 0.01))).toEqual([0.01, 0.5, 1, 5, 10, 20, 100, 0.02]);
    expect(niceCeiling(0)).toBe(1);
    expect(axisTicks(10, 2)).toEqual([0, 5, 10]);
  });

  it('formats bytes and shares', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25276502016)).toBe('24 GB');
    expect(usedPercent(100, 25)).toBe(75);
    expect(usedPercent(0, 0)).toBe(0);
  });
});
