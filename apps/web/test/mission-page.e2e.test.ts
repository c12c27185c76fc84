import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isTerminalStatus, type MissionEvent, type MissionStatus } from '@garrison/core';
import { ApiClient, openStackFixture, waitFor, type RunningStack, type StackFixture, type TestTeam } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard, signIn } from './browser';

/**
 * The dashboard against the real stack (api + worker + `next start`, Postgres, Redis, Docker) in
 * headless Chromium: sign in, create a workspace, dispatch a shell mission, watch it live, lose
 * the connection mid-mission, and check that what the page shows is exactly what the API stored,
 * before and after a reload. Needs `npm run build -w @garrison/web` first.
 */

const ROWS = '[data-testid="event-log"] [data-seq]';
const LINES = 200;
// Still printing (about 20 s) while the test takes the browser offline; a few lines on stderr.
const PROMPT = [
  `# Count to ${LINES}, slowly`,
  'i=1',
  `while [ $i -le ${LINES} ]; do`,
  '  echo "line $i"',
  '  if [ $((i % 50)) -eq 0 ]; then echo "checkpoint $i" >&2; fi',
  '  i=$((i + 1))',
  '  sleep 0.1',
  'done',
].join('\n');

async function renderedSeqs(page: Page): Promise<number[]> {
  return page.$$eval(ROWS, (rows) => rows.map((row) => Number((row as HTMLElement).dataset.seq)));
}

/** Every seq the page's log model holds (the list is virtualized: only some are rendered). */
async function modelSeqs(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__garrisonTest!.logSeqs());
}

async function highestHeld(page: Page): Promise<number> {
  return Math.max(0, ...(await modelSeqs(page)));
}

/** The rendered rows are a contiguous, in-order run of the model's seqs. */
async function expectRenderedWindow(page: Page): Promise<void> {
  await settleFrames(page);
  const [model, rendered] = [await modelSeqs(page), await renderedSeqs(page)];
  expect(rendered.length).toBeGreaterThan(0);
  const from = model.indexOf(rendered[0]!);
  expect(from).toBeGreaterThanOrEqual(0);
  expect(rendered).toEqual(model.slice(from, from + rendered.length));
}

async function connectionState(page: Page): Promise<string | null> {
  return page.getAttribute('[data-testid="connection"]', 'data-state');
}

/** The `afterSeq` of every `mission:subscribe` the page sends, over polling or WebSocket. */
function recordSubscribes(page: Page): number[] {
  const afterSeqs: number[] = [];
  const note = (data: string | null | undefined): void => {
    for (const match of (data ?? '').matchAll(/"mission:subscribe",(\{[^{}]*\})/g)) {
      afterSeqs.push((JSON.parse(match[1]!) as { afterSeq: number }).afterSeq);
    }
  };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/socket.io/')) note(request.postData());
  });
  page.on('websocket', (socket) => socket.on('framesent', (frame) => note(typeof frame.payload === 'string' ? frame.payload : null)));
  return afterSeqs;
}

/** Two animation frames: whatever the page had received is on screen afterwards. */
async function settleFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

describe('mission page', () => {
  let fixture: StackFixture | undefined;
  let stack: RunningStack;
  let team: TestTeam;
  let api: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let missionId: string | null = null;
  /** Every mission a test dispatched; afterAll ends any still open. */
  const dispatched: string[] = [];

  async function storedEvents(): Promise<MissionEvent[]> {
    const response = await api.get<{ events: MissionEvent[]; headSeq: number }>(`/api/v1/missions/${missionId}/events?afterSeq=0&limit=5000`);
    expect(response.status).toBe(200);
    return response.body.events;
  }

  async function missionStatus(id = missionId): Promise<MissionStatus> {
    const response = await api.get<{ status: MissionStatus }>(`/api/v1/missions/${id}`);
    expect(response.status).toBe(200);
    return response.body.status;
  }

  async function headSeq(): Promise<number> {
    const response = await api.get<{ headSeq: number }>(`/api/v1/missions/${missionId}/events?afterSeq=0&limit=1`);
    return response.body.headSeq;
  }

  beforeAll(async () => {
    requireBuiltDashboard();
    fixture = await openStackFixture({ web: true });
    ({ stack, team, client: api } = fixture);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    // A mission left open would be adopted by the next stack's worker: end it here.
    for (const id of dispatched) {
      if (isTerminalStatus(await missionStatus(id).catch(() => 'completed' as const))) continue;
      await api.post(`/api/v1/missions/${id}/cancel`).catch(() => {});
      await waitFor(async () => isTerminalStatus(await missionStatus(id)), { timeoutMs: 20_000, what: 'the mission to end' }).catch(() => {});
    }
    await browser?.close();
    await fixture?.close();
  });

  test('shows a live mission exactly as stored, across a lost connection and a reload', async () => {
    const webUrl = stack.webUrl!;
    const page = await context.newPage();
    const subscribes = recordSubscribes(page);

    // Signed out: the dashboard sends the person to the login page and back afterwards.
    // `testHooks=1` lets this tab cut its own socket later (see src/lib/test-hooks.ts).
    await page.goto(`${webUrl}/?testHooks=1`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'login.png') });

    await page.getByLabel('Email').fill(team.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent(), { timeout: 10_000 }).toContain('Email or password is wrong');

    await signIn(page, webUrl, team, '/?testHooks=1');

    // A workspace (made over the API: the workspaces page has its own test), then a mission
    // dispatched from the new-mission dialog (`n`), which leads to its page.
    const workspaceName = `e2e-${randomBytes(3).toString('hex')}`;
    const workspaceId = (await api.post<{ id: string }>('/api/v1/workspaces', { name: workspaceName })).body.id;
    await page.getByTestId('signed-in-as').waitFor();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New mission' });
    await dialog.waitFor();
    await dialog.locator('#mission-workspace').selectOption(workspaceId);
    await dialog.locator('#mission-prompt').fill(PROMPT);
    const dispatchedAt = Date.now();
    await dialog.locator('#mission-prompt').press('Control+Enter');
    await page.waitForURL(/\/missions\/[^/?]+$/);
    const navigatedAt = Date.now();
    missionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    dispatched.push(missionId);
    await page.locator(ROWS).first().waitFor();
    const firstRowAfterDispatchMs = Date.now() - dispatchedAt;
    const firstRowAfterNavigationMs = Date.now() - navigatedAt;

    // Output arrives live, while the mission runs.
    await page.locator('[data-testid="event-log"] .out-line', { hasText: /^line \d+$/ }).first().waitFor({ timeout: 60_000 });
    await expect.poll(() => connectionState(page), { timeout: 10_000 }).toBe('connected');
    expect(isTerminalStatus(await missionStatus())).toBe(false);
    // Socket.IO starts on long-polling; through the Next proxy it upgrades to a WebSocket.
    await expect.poll(() => page.evaluate(() => window.__garrisonTest!.transport()), { timeout: 10_000 }).toBe('websocket');

    // Offline in the middle of the mission. The page says so at once: a WebSocket the browser
    // reports dead may look open until its ping times out (up to 45 s), so the page drops it.
    await context.setOffline(true);
    const offlineAt = Date.now();
    await expect.poll(() => connectionState(page), { timeout: 5_000 }).toBe('offline');
    const offlineNoticedMs = Date.now() - offlineAt;
    await settleFrames(page);
    const seqWhileOffline = await highestHeld(page);
    await waitFor(async () => (await headSeq()) >= seqWhileOffline + 10, { timeoutMs: 20_000, what: 'events the page has not seen' });
    await settleFrames(page);
    expect(await highestHeld(page)).toBe(seqWhileOffline);

    // Back online: the page resubscribes after its last seq and the gap is replayed.
    const onlineAt = Date.now();
    await context.setOffline(false);
    await expect.poll(() => connectionState(page), { timeout: 15_000 }).toBe('connected');
    const reconnectMs = Date.now() - onlineAt;
    await expect.poll(() => highestHeld(page), { timeout: 10_000 }).toBeGreaterThan(seqWhileOffline + 9);
    // The first subscribe continued after the history the page fetched over REST (seq 0 when there was none yet).
    expect(subscribes[0]).toBeLessThanOrEqual(seqWhileOffline);
    expect(subscribes.at(-1)).toBe(seqWhileOffline);

    // A transport lost while online (a proxy restart, an idle timeout) heals the same way.
    const seqAtDrop = await highestHeld(page);
    const subscribesBeforeDrop = subscribes.length;
    await page.evaluate(() => window.__garrisonTest!.dropConnection());
    await expect.poll(() => connectionState(page), { timeout: 5_000 }).toBe('reconnecting');
    await expect.poll(() => connectionState(page), { timeout: 15_000 }).toBe('connected');
    expect(subscribes.length).toBeGreaterThan(subscribesBeforeDrop);
    expect(subscribes.at(-1)).toBeGreaterThanOrEqual(seqAtDrop);

    // Still running, with a stderr line in view: the picture for the docs.
    await page.locator('[data-testid="event-log"] .out-line[data-stream="stderr"]').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: resolve(SCREENSHOTS, 'mission.png') });

    await waitFor(async () => isTerminalStatus(await missionStatus()), { timeoutMs: 90_000, what: 'the mission to end' });
    const stored = (await storedEvents()).map((event) => event.seq);
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, index) => index + 1));
    await expect.poll(() => modelSeqs(page), { timeout: 15_000 }).toEqual(stored);
    await expectRenderedWindow(page);
    // Following the output: the newest event is on screen.
    expect((await renderedSeqs(page)).at(-1)).toBe(stored.at(-1));

    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('mission-exit-code').textContent(), { timeout: 10_000 }).toBe('0');
    expect(await page.getByRole('button', { name: /cancel/i }).isDisabled()).toBe(true);
    expect((await storedEvents()).filter((event) => event.type === 'process.output' && event.payload.stream === 'stderr')).toHaveLength(LINES / 50);

    // A reload loads the whole history over REST into the same model, then subscribes after its last seq.
    await page.reload();
    await page.locator(ROWS).first().waitFor();
    // Since the reload's navigation started, measured by the page itself.
    const firstRowAfterReloadMs = Math.round(await page.evaluate(() => performance.now()));
    await expect.poll(() => modelSeqs(page), { timeout: 15_000 }).toEqual(stored);
    await expectRenderedWindow(page);
    await expect.poll(() => subscribes.at(-1), { timeout: 10_000 }).toBe(stored.at(-1));

    // The workspace's page lists the mission with its final status.
    await page.goto(`${webUrl}/workspaces/${workspaceId}`);
    const row = page.locator(`tr[data-mission-id="${missionId}"]`);
    await expect.poll(() => row.locator('[data-status]').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');

    console.info(
      JSON.stringify({
        events: stored.length,
        offlineNoticedMs,
        firstRowAfterDispatchMs,
        firstRowAfterNavigationMs,
        firstRowAfterReloadMs,
        reconnectMs,
        subscribeAfterSeqs: subscribes,
      }),
    );
  });

  test('cancels a running mission from its page, reached through a sign-in', async () => {
    const workspace = (await api.post<{ id: string }>('/api/v1/workspaces', { name: `e2e-cancel-${randomBytes(3).toString('hex')}` })).body;
    const created = await api.post<{ id: string }>('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo waiting; sleep 120' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    dispatched.push(id);

    // A fresh browser session: the link leads through the login page and back to the mission.
    const ownContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ownContext.newPage();
    await page.goto(`${stack.webUrl}/missions/${id}`);
    await page.waitForURL(/\/login\?next=/);
    await signIn(page, stack.webUrl!, team, `/missions/${id}`);
    // Again with the test hooks, to read the page's log model at the end.
    await page.goto(`${stack.webUrl}/missions/${id}?testHooks=1`);
    await page.locator('[data-testid="event-log"] .out-line', { hasText: /^waiting$/ }).waitFor({ timeout: 60_000 });
    const cancel = page.getByRole('button', { name: 'Cancel mission' });
    expect(await cancel.isEnabled()).toBe(true);
    await cancel.click();

    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('canceled');
    await page.locator('[data-testid="event-log"] .log-result', { hasText: `Canceled by ${team.email}` }).waitFor();
    expect(await page.getByRole('button', { name: /cancel/i }).isDisabled()).toBe(true);
    const stored = (await api.get<{ events: MissionEvent[] }>(`/api/v1/missions/${id}/events?limit=5000`)).body.events.map((event) => event.seq);
    await expect.poll(() => modelSeqs(page), { timeout: 10_000 }).toEqual(stored);
    await expectRenderedWindow(page);
    await ownContext.close();
  });
});
