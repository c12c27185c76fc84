import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isTerminalStatus, type MissionStatus, type Overview } from '@garrison/core';
import { openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture, type TestTeam } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard, signIn } from './browser';

/**
 * The Overview (`/`) and the missions board (`/missions`) against the real stack: shell missions
 * dispatched through the API into one workspace, the board's filters, search, sort and pages
 * checked against the API's own answer, a status change arriving without a reload, and the
 * worker's host panel with the numbers its heartbeat measured. Needs `npm run build -w @garrison/web`.
 */

const BOARD_ROWS = '[data-testid="missions-board"] tbody tr';
const SEEDS = 9;

describe('overview and missions board', () => {
  let fixture: StackFixture | undefined;
  let stack: RunningStack;
  let team: TestTeam;
  let api: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let workspaceId: string;
  let runningId: string;
  const waitingIds: string[] = [];
  const dispatched: string[] = [];

  async function status(id: string): Promise<MissionStatus> {
    return (await api.get<{ status: MissionStatus }>(`/api/v1/missions/${id}`)).body.status;
  }

  async function dispatch(prompt: string): Promise<string> {
    const response = await api.post<{ id: string }>('/api/v1/missions', { workspaceId, agent: 'shell', prompt });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    dispatched.push(response.body.id);
    return response.body.id;
  }

  /** The ids the API answers for a board query, in its order. */
  async function apiIds(query: string): Promise<string[]> {
    const response = await api.get<{ missions: { id: string }[] }>(`/api/v1/missions?${query}`);
    expect(response.status).toBe(200);
    return response.body.missions.map((mission) => mission.id);
  }

  async function boardIds(page: Page): Promise<string[]> {
    return page.$$eval(BOARD_ROWS, (rows) => rows.map((row) => (row as HTMLElement).dataset.mission ?? ''));
  }

  /** The board shows exactly what the API answers for the same query (after the page's own fetch). */
  async function expectBoardEquals(page: Page, query: string): Promise<void> {
    const expected = await apiIds(query);
    await expect.poll(() => boardIds(page), { timeout: 10_000 }).toEqual(expected);
  }

  beforeAll(async () => {
    requireBuiltDashboard();
    fixture = await openStackFixture({ web: true });
    ({ stack, team, client: api } = fixture);

    const workspace = await api.post<{ id: string }>('/api/v1/workspaces', { name: 'board', maxConcurrent: 4 });
    expect(workspace.status).toBe(201);
    workspaceId = workspace.body.id;
    // Nine quick shell missions: every third mentions a needle, every fourth fails.
    for (let index = 1; index <= SEEDS; index += 1) {
      await dispatch(`# board ${index} ${index % 3 === 0 ? 'needle' : 'hay'}\nsleep 0.${index}\n${index % 4 === 0 ? 'exit 3' : 'true'}`);
    }
    await waitFor(async () => (await Promise.all(dispatched.map(status))).every(isTerminalStatus), { timeoutMs: 150_000, intervalMs: 500, what: 'the seeded missions to end' });
    runningId = await dispatch('# long runner\nsleep 120');
    await waitFor(async () => (await status(runningId)) === 'running', { timeoutMs: 60_000, what: 'the long mission to run' });

    // A shell agent never asks a person anything, so the two waiting missions are stored as the
    // runner would leave them, in a workspace no worker runs (so nothing acts on them).
    const quiet = await fixture.db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'waiting-room', status: 'stopped' } });
    for (const [state, prompt] of [['waiting_approval', 'Deploy to staging\nneeds a yes'], ['waiting_input', 'Which branch should I use?']] as const) {
      const row = await fixture.db.prisma.mission.create({ data: { teamId: team.teamId, workspaceId: quiet.id, authorId: team.userId, agent: 'claude-code', prompt, status: state, startedAt: new Date() } });
      waitingIds.push(row.id);
    }

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, stack.webUrl!, team);
    await page.close();
  });

  afterAll(async () => {
    for (const id of dispatched) {
      if (isTerminalStatus(await status(id).catch(() => 'completed' as const))) continue;
      await api.post(`/api/v1/missions/${id}/cancel`).catch(() => {});
      await waitFor(async () => isTerminalStatus(await status(id)), { timeoutMs: 20_000, what: 'the mission to end' }).catch(() => {});
    }
    await browser?.close();
    await fixture?.close();
  });

  test('the board filters, searches, sorts and pages like the API, and keeps it in the URL', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/missions`);
    await expectBoardEquals(page, 'sort=created&order=desc&page=1&pageSize=25');
    expect(await page.locator(BOARD_ROWS).count()).toBe(SEEDS + 3);
    // Each row names its workspace and author: no extra call needed.
    const waitingRow = page.locator(`${BOARD_ROWS}[data-mission="${waitingIds[0]}"]`);
    await expect.poll(() => waitingRow.textContent()).toContain('waiting-room');
    expect(await waitingRow.textContent()).toContain(team.email);

    // Search (debounced into the URL).
    await page.getByLabel('Search').fill('NEEDLE');
    await page.waitForURL(/[?&]q=NEEDLE/);
    await expectBoardEquals(page, 'q=NEEDLE&sort=created&order=desc&page=1&pageSize=25');
    expect(await page.locator(BOARD_ROWS).count()).toBe(3);

    // Status, with the search still on, then the search cleared.
    await page.getByTestId('status-filter').click();
    await page.getByRole('menuitemcheckbox', { name: 'completed' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/status=completed/);
    await expectBoardEquals(page, 'q=NEEDLE&status=completed&sort=created&order=desc&page=1&pageSize=25');
    await page.getByLabel('Search').fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await expectBoardEquals(page, 'status=completed&sort=created&order=desc&page=1&pageSize=25');

    // Nothing matches: says so, and one click clears every filter.
    await page.getByLabel('Agent').selectOption('codex');
    await expect.poll(() => page.getByText('No missions match these filters').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await page.waitForURL(`${stack.webUrl}/missions`);
    await expectBoardEquals(page, 'sort=created&order=desc&page=1&pageSize=25');

    // Agent and workspace filters.
    await page.getByLabel('Agent').selectOption('claude-code');
    await expectBoardEquals(page, 'agent=claude-code&sort=created&order=desc&page=1&pageSize=25');
    await page.getByLabel('Agent').selectOption('');
    await page.getByLabel('Workspace').selectOption({ label: 'board' });
    await expectBoardEquals(page, `workspaceId=${workspaceId}&sort=created&order=desc&page=1&pageSize=25`);
    await page.getByLabel('Author').selectOption({ label: team.email });
    await expectBoardEquals(page, `workspaceId=${workspaceId}&authorId=${team.userId}&sort=created&order=desc&page=1&pageSize=25`);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL(`${stack.webUrl}/missions`);

    // Review filter: only missions whose branch waits for a reviewer (one stored as such here).
    // (updatedAt kept: the overview orders what needs a person by it.)
    const marked = await fixture!.db.prisma.mission.findUniqueOrThrow({ where: { id: waitingIds[0]! } });
    await fixture!.db.prisma.mission.update({ where: { id: marked.id }, data: { reviewStatus: 'ready_for_review', updatedAt: marked.updatedAt } });
    await page.getByLabel('Review', { exact: true }).selectOption({ label: 'Ready for review' });
    await page.waitForURL(/[?&]review=ready_for_review/);
    await expectBoardEquals(page, 'reviewStatus=ready_for_review&sort=created&order=desc&page=1&pageSize=25');
    expect(await boardIds(page)).toEqual([waitingIds[0]]);
    await page.reload();
    await expectBoardEquals(page, 'reviewStatus=ready_for_review&sort=created&order=desc&page=1&pageSize=25');
    expect(await page.getByLabel('Review', { exact: true }).inputValue()).toBe('ready_for_review');
    await page.getByLabel('Review', { exact: true }).selectOption({ label: 'Merged' });
    await expect.poll(() => page.getByText('No missions match these filters').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL(`${stack.webUrl}/missions`);

    // Sort by clicking a header: descending first, then ascending; aria-sort says which.
    const duration = page.getByRole('columnheader', { name: /Duration/ });
    await duration.getByRole('button').click();
    await expect.poll(() => duration.getAttribute('aria-sort')).toBe('descending');
    await expectBoardEquals(page, 'sort=duration&order=desc&page=1&pageSize=25');
    expect((await boardIds(page))[0]).toBe(runningId);
    await duration.getByRole('button').click();
    await expect.poll(() => duration.getAttribute('aria-sort')).toBe('ascending');
    await expectBoardEquals(page, 'sort=duration&order=asc&page=1&pageSize=25');
    await page.getByRole('columnheader', { name: /Cost/ }).getByRole('button').click();
    await expectBoardEquals(page, 'sort=cost&order=desc&page=1&pageSize=25');
    await page.getByRole('columnheader', { name: /Created/ }).getByRole('button').click();

    // Pages of 10.
    await page.getByLabel('Per page').selectOption('10');
    await expect.poll(() => page.getByTestId('board-range').textContent()).toBe(`Showing 1–10 of ${SEEDS + 3}`);
    await expectBoardEquals(page, 'sort=created&order=desc&page=1&pageSize=10');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.getByTestId('board-page').textContent()).toBe('Page 2 of 2');
    await expectBoardEquals(page, 'sort=created&order=desc&page=2&pageSize=10');
    expect(await page.getByTestId('board-range').textContent()).toBe(`Showing 11–${SEEDS + 3} of ${SEEDS + 3}`);

    // The URL holds the whole view: a reload (or a shared link) shows the same page.
    const url = page.url();
    expect(new URL(url).searchParams.get('page')).toBe('2');
    await page.reload();
    await expectBoardEquals(page, 'sort=created&order=desc&page=2&pageSize=10');
    expect(page.url()).toBe(url);

    // Keyboard: the row's link is reachable and opens the mission.
    await page.locator(`${BOARD_ROWS} a`).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/missions\/[^/?]+$/);
    await page.close();
  });

  test('a mission appears and changes status on the board without a reload', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/missions?status=queued,provisioning,running,completed&pageSize=50`);
    await page.locator(BOARD_ROWS).first().waitFor();
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const id = await dispatch('# live one\nsleep 2\ntrue');
    const row = page.locator(`${BOARD_ROWS}[data-mission="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.goto(`${stack.webUrl}/missions?pageSize=10`);
    await page.locator(BOARD_ROWS).first().waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'missions-board.png') });
    await page.close();
  });

  test('the overview shows what needs a person, what runs, and the host the worker measured', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/`);
    const needsYou = page.getByTestId('needs-you');
    await needsYou.waitFor();
    expect(await needsYou.locator('[data-mission]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.mission))).toEqual(waitingIds);
    await expect.poll(() => needsYou.textContent()).toContain('Deploy to staging');
    expect(await page.getByTestId('running').locator(`[data-mission="${runningId}"]`).count()).toBe(1);
    expect(await page.getByTestId('queue-queued').textContent()).toBe('0');

    // The stack's worker: real numbers from its heartbeat, the same the API holds.
    const hostId = `test-${stack.redisPrefix}`;
    const overview = await waitFor(
      async () => {
        const body = (await api.get<Overview>('/api/v1/overview')).body;
        const host = body.hosts.find((entry) => entry.id === hostId);
        return host?.resources?.containers && host.resources.containers.workspacesRunning >= 1 && host.resources.cpu.busyPercent !== null ? body : null;
      },
      { timeoutMs: 20_000, what: 'a heartbeat counting the workspace container' },
    );
    const host = overview.hosts.find((entry) => entry.id === hostId)!;
    expect(host.stale).toBe(false);
    expect(host.resources!.cpu.cores).toBeGreaterThan(0);
    expect(host.resources!.memory.totalBytes).toBeGreaterThan(host.resources!.memory.availableBytes);
    expect(host.resources!.disk!.totalBytes).toBeGreaterThan(0);
    const card = page.locator(`[data-testid="host"][data-host="${hostId}"]`);
    await expect.poll(() => card.getByTestId('host-containers').textContent(), { timeout: 20_000 }).toMatch(/[1-9]\d* Garrison workspaces running/);
    const meters = await card.getByRole('meter').evaluateAll((items) => items.map((item) => [item.getAttribute('aria-label'), Number(item.getAttribute('aria-valuenow'))] as const));
    expect(meters.map(([label]) => label)).toEqual(['CPU used', 'Memory used', 'Disk used']);
    for (const [, value] of meters) expect(value).toBeGreaterThanOrEqual(0);
    expect(meters[1]![1]).toBeGreaterThan(0);
    expect(await card.getAttribute('data-stale')).toBe('false');

    // Recent results and the three charts, each with a title and a summary for screen readers.
    expect(await page.getByTestId('recent-results').locator('tbody tr').count()).toBe(10);
    for (const chart of ['chart-outcomes', 'chart-duration', 'chart-cost']) {
      const figure = page.getByTestId(chart);
      expect(await figure.locator('svg[role="img"] desc').textContent()).not.toBe('');
      expect(await figure.locator('table caption').textContent()).not.toBe('');
    }
    const today = overview.daily.at(-1)!;
    expect(await page.getByTestId('chart-outcomes').locator('svg desc').textContent()).toContain(`${today.outcomes.completed} completed`);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'overview.png') });
    await page.close();
  });

  test('both pages fit a 768 px tablet in the dark theme: wide tables scroll inside their box', async () => {
    const tablet = await browser.newContext({ viewport: { width: 768, height: 1024 }, colorScheme: 'dark', storageState: await context.storageState() });
    try {
      const page = await tablet.newPage();
      for (const path of ['/', '/missions']) {
        await page.goto(`${stack.webUrl}${path}`);
        await page.locator(path === '/' ? '[data-testid="needs-you"]' : BOARD_ROWS).first().waitFor();
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
        if (process.env.REVIEW_SHOTS) await page.screenshot({ path: resolve(process.env.REVIEW_SHOTS, `tablet-dark${path === '/' ? '-overview' : '-board'}.png`), fullPage: true });
      }
    } finally {
      await tablet.close();
    }
  });

  test('a new team is told to create a workspace, then dispatch a mission', async () => {
    const newcomer = await fixture!.db.prisma.team.create({ data: { name: 'empty', memberships: { create: { userId: team.userId, role: 'owner' } } } });
    try {
      const fresh = await context.newPage();
      // A write with the browser's session cookie echoes its CSRF token, as the dashboard does.
      const csrf = { 'x-csrf-token': ((await (await fresh.request.get(`${stack.webUrl}/api/v1/auth/csrf`)).json()) as { token: string }).token };
      const switched = await fresh.request.post(`${stack.webUrl}/api/v1/auth/team`, { data: { teamId: newcomer.id }, headers: csrf });
      expect(switched.status()).toBe(200);
      await fresh.goto(`${stack.webUrl}/`);
      const empty = fresh.getByTestId('empty-state').first();
      await empty.waitFor();
      expect(await empty.textContent()).toContain('first create one, then dispatch a mission');
      expect(await empty.getByRole('link', { name: 'Create a workspace' }).getAttribute('href')).toBe('/workspaces');
      await fresh.goto(`${stack.webUrl}/missions`);
      await fresh.getByText('No missions yet').waitFor();
      await fresh.request.post(`${stack.webUrl}/api/v1/auth/team`, { data: { teamId: team.teamId }, headers: csrf });
      await fresh.close();
    } finally {
      await fixture!.db.prisma.team.delete({ where: { id: newcomer.id } });
    }
  });
});
