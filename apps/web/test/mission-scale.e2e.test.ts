import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isTerminalStatus, type RunnerEvent } from '@garrison/core';
import { createQueuedMission, insertEventBatch } from '@garrison/db';
import { openStackFixture, waitFor, type ApiClient, type StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard } from './browser';

/**
 * The mission page with 50,000 events, written straight to Postgres: how long until the log
 * shows rows and the count says 50,000, and whether scrolling through it (keyboard, wheel, a
 * jump to the middle) ever blocks the main thread. Also a retry, from the page of a failed shell
 * mission. Needs `npm run build -w @garrison/web` first.
 */
const FIGURES = '/tmp/garrison-figures.json';
const TOTAL = 50_000;
/**
 * No single task may block the main thread longer than this once the log is up. 200 ms is twice
 * the 100 ms a person reads as "instant" in response to a key or a wheel turn (RAIL), leaving
 * room for this shared 2-core machine; a log that renders every row (or measures all 50,000)
 * blocks for seconds, so the bound still tells the two apart.
 */
const MAX_LONG_TASK_MS = 200;
const LOG = '[data-testid="event-log"]';
const ROWS = `${LOG} [data-seq]`;

/** What the generated mission holds at a seq: 10-event cycles of message, thinking, tool call and result, output, usage. */
function eventAt(seq: number, ts: string): RunnerEvent {
  const cycle = Math.floor(seq / 10);
  switch (seq % 10) {
    case 0:
      return { seq, ts, type: 'agent.message', payload: { text: `### Step ${cycle}\n\nChecked **seq ${seq}** with \`grep\`; see [the docs](https://example.com/${seq}).\n\n- first finding\n- second finding` } };
    case 1:
      return { seq, ts, type: 'agent.thinking', payload: { text: `Thinking about seq ${seq}\nand what comes next.` } };
    case 2:
      return { seq, ts, type: 'tool.call', payload: { callId: `call-${seq}`, name: 'mcp__garrison__bash', input: { command: `echo seq ${seq}` } } };
    case 3:
      return { seq, ts, type: 'tool.result', payload: { callId: `call-${seq - 1}`, output: `seq ${seq - 1}\n`, isError: cycle % 7 === 0 } };
    case 9:
      return { seq, ts, type: 'usage', payload: { inputTokens: 100, outputTokens: 20 } };
    default:
      return { seq, ts, type: 'process.output', payload: { stream: seq % 10 === 8 ? 'stderr' : 'stdout', text: `line ${seq}` } };
  }
}

/** The rendered rows: each seq, and whether its text is what the mission holds at that seq. */
async function renderedRows(page: Page): Promise<Array<{ seq: number; right: boolean }>> {
  return page.$$eval(
    ROWS,
    (rows, total) =>
      rows.map((row) => {
        const seq = Number((row as HTMLElement).dataset.seq);
        const text = row.textContent ?? '';
        const kind = seq % 10;
        // Seq 2 and the last two are the status changes and the result, not the cycle.
        if (seq === 2 || seq >= total - 1) return { seq, right: /running|exited with code 0|Completed/.test(text) };
        const right = kind >= 4 && kind <= 8 ? text === `line ${seq}` : kind === 0 ? text.includes(`seq ${seq}`) : kind === 2 ? text.includes(`echo seq ${seq}`) : true;
        return { seq, right };
      }),
    TOTAL,
  );
}

/** Waits until the log stops moving (a wheel turn scrolls smoothly, for a while after the event). */
async function settleScroll(page: Page): Promise<void> {
  await page.waitForFunction(
    (selector) =>
      new Promise<boolean>((done) => {
        const element = document.querySelector(selector)!;
        const before = element.scrollTop;
        requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => done(element.scrollTop === before))));
      }),
    LOG,
    { timeout: 10_000 },
  );
}

/** Rendered rows are a contiguous, in-order run of the model's seqs (here 1..50,000), each showing its own event. */
async function expectWindow(page: Page, what: string, expectSeq?: (seqs: number[]) => void): Promise<number[]> {
  await settleScroll(page);
  const rows = await renderedRows(page);
  const seqs = rows.map((row) => row.seq);
  expect(seqs.length, `${what}: rows rendered`).toBeGreaterThan(5);
  expect(seqs.length, `${what}: only a window is rendered`).toBeLessThan(600);
  expect(seqs, `${what}: contiguous`).toEqual(Array.from({ length: seqs.length }, (_, index) => seqs[0]! + index));
  expect(rows.filter((row) => !row.right).map((row) => row.seq), `${what}: rows show their own events`).toEqual([]);
  expectSeq?.(seqs);
  return seqs;
}

describe('a mission with 50,000 events', () => {
  let fixture: StackFixture | undefined;
  let api: ApiClient;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    requireBuiltDashboard();
    fixture = await openStackFixture({ web: true });
    api = fixture.client;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'garrison_session', value: api.sessionCookie!.split('=')[1]!, url: fixture.stack.webUrl! }]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  test('renders quickly and scrolls top to bottom without a long task', async () => {
    const { db, team } = fixture!;
    const workspaceId = (await api.post('/api/v1/workspaces', { name: 'scale' })).body.id as string;
    const { mission } = await createQueuedMission(db, { teamId: team.teamId, workspaceId, authorId: team.userId, agent: 'claude-code', prompt: 'A long mission: 50,000 events' });
    const start = Date.now() - TOTAL * 10;
    const insertStarted = Date.now();
    for (let from = 2; from <= TOTAL; from += 5000) {
      const batch: RunnerEvent[] = [];
      for (let seq = from; seq < from + 5000 && seq <= TOTAL; seq += 1) {
        const ts = new Date(start + seq * 10).toISOString();
        if (seq === 2) batch.push({ seq, ts, type: 'mission.status', payload: { status: 'running', previous: 'queued', reason: null } });
        else if (seq === TOTAL - 1) batch.push({ seq, ts, type: 'mission.result', payload: { outcome: 'exited', exitCode: 0, signal: null } });
        else if (seq === TOTAL) batch.push({ seq, ts, type: 'mission.status', payload: { status: 'completed', previous: 'running', reason: null, exitCode: 0 } });
        else batch.push(eventAt(seq, ts));
      }
      await insertEventBatch(db, mission.id, batch);
    }
    await db.prisma.mission.update({ where: { id: mission.id }, data: { status: 'completed', exitCode: 0, startedAt: new Date(start), endedAt: new Date(start + TOTAL * 10) } });
    await db.prisma.missionAttempt.create({ data: { missionId: mission.id, number: 1, startedAt: new Date(start), endedAt: new Date(start + TOTAL * 10), exitCode: 0, reason: 'exit_code:0' } });
    const insertMs = Date.now() - insertStarted;

    const page = await context.newPage();
    // Long tasks and frame gaps, recorded by the page from its first script on.
    await page.addInitScript(() => {
      const record = { longTasks: [] as Array<{ start: number; duration: number }>, frameGaps: [] as number[], measuring: false };
      (window as unknown as { __perf: typeof record }).__perf = record;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
      let last = 0;
      const frame = (now: number): void => {
        if (record.measuring && last > 0) record.frameGaps.push(now - last);
        last = now;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await page.goto(`${fixture!.stack.webUrl}/missions/${mission.id}?testHooks=1`);
    // Navigation start -> rows on screen and the count says 50,000 (performance.now() counts from navigation start).
    const firstRenderMs = await page.waitForFunction(
      (total) => {
        const count = document.querySelector('[data-testid="event-count"]')?.textContent ?? '';
        const rows = document.querySelectorAll('[data-testid="event-log"] [data-seq]').length;
        return rows > 0 && count.replace(/\D/g, '') === String(total) ? performance.now() : false;
      },
      TOTAL,
      { timeout: 120_000, polling: 'raf' },
    ).then((handle) => handle.jsonValue() as Promise<number>);

    const seqs = await page.evaluate(() => window.__garrisonTest!.logSeqs());
    expect(seqs).toEqual(Array.from({ length: TOTAL }, (_, index) => index + 1));
    // An ended mission opens at its end.
    await expectWindow(page, 'end on open', (window) => expect(window.at(-1)).toBe(TOTAL));
    await page.locator('#log-heading').evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: resolve(SCREENSHOTS, 'mission-50k.png') });

    await page.evaluate(() => {
      (window as unknown as { __perf: { measuring: boolean } }).__perf.measuring = true;
    });
    const scrollStarted = await page.evaluate(() => performance.now());
    const log = page.locator(LOG);
    await log.focus();
    await page.keyboard.press('Home');
    await expect.poll(async () => (await renderedRows(page))[0]?.seq, { timeout: 10_000 }).toBe(1);
    await expectWindow(page, 'top', (window) => expect(window[0]).toBe(1));
    // Scrolled away from the end, the log offers the way back.
    const latest = page.getByRole('button', { name: '↓ Latest' });
    await latest.waitFor();
    for (let press = 0; press < 15; press += 1) await page.keyboard.press('PageDown');
    const afterPages = await expectWindow(page, 'after 15 PageDowns');
    expect(afterPages[0]).toBeGreaterThan(1);
    await log.hover();
    for (let turn = 0; turn < 20; turn += 1) await page.mouse.wheel(0, 1200);
    const afterWheel = await expectWindow(page, 'after the wheel');
    expect(afterWheel[0]).toBeGreaterThan(afterPages[0]!);
    // The scrollbar dragged to the middle, then keys from there.
    await log.evaluate((element) => {
      element.scrollTop = (element.scrollHeight - element.clientHeight) / 2;
    });
    const middle = await expectWindow(page, 'middle');
    expect(middle[0]).toBeGreaterThan(TOTAL * 0.2);
    expect(middle.at(-1)).toBeLessThan(TOTAL * 0.8);
    for (let press = 0; press < 5; press += 1) await page.keyboard.press('PageUp');
    await expectWindow(page, 'middle, paged up');
    for (let turn = 0; turn < 10; turn += 1) await page.mouse.wheel(0, -900);
    await settleScroll(page);
    await latest.click();
    await expect.poll(async () => (await renderedRows(page)).at(-1)?.seq, { timeout: 10_000 }).toBe(TOTAL);
    await latest.waitFor({ state: 'detached' });
    await page.keyboard.press('Home');
    await expect.poll(async () => (await renderedRows(page))[0]?.seq, { timeout: 10_000 }).toBe(1);
    await page.keyboard.press('End');
    await expect.poll(async () => (await renderedRows(page)).at(-1)?.seq, { timeout: 10_000 }).toBe(TOTAL);
    await expectWindow(page, 'end', (window) => expect(window.at(-1)).toBe(TOTAL));

    const perf = await page.evaluate(() => (window as unknown as { __perf: { longTasks: Array<{ start: number; duration: number }>; frameGaps: number[] } }).__perf);
    const longTasksWhileScrolling = perf.longTasks.filter((task) => task.start >= scrollStarted);
    const longestTask = Math.max(0, ...longTasksWhileScrolling.map((task) => task.duration));
    const gaps = perf.frameGaps.slice().sort((a, b) => a - b);
    const figure = {
      figure: 'mission_page_first_render_ms',
      value: Math.round(firstRenderMs),
      events: TOTAL,
      insertMs,
      longTasksWhileScrolling: longTasksWhileScrolling.length,
      longestTaskWhileScrollingMs: Math.round(longestTask),
      longTasksBeforeFirstRender: perf.longTasks.filter((task) => task.start < firstRenderMs).length,
      longTaskMsBeforeFirstRender: Math.round(perf.longTasks.filter((task) => task.start < firstRenderMs).reduce((sum, task) => sum + task.duration, 0)),
      frameGapP50Ms: Math.round(gaps[Math.floor(gaps.length / 2)] ?? 0),
      frameGapP99Ms: Math.round(gaps[Math.floor(gaps.length * 0.99)] ?? 0),
      frameGapMaxMs: Math.round(gaps.at(-1) ?? 0),
      at: new Date().toISOString(),
    };
    console.info(JSON.stringify(figure));
    appendFileSync(FIGURES, `${JSON.stringify(figure)}\n`);
    expect(longestTask, `long tasks while scrolling: ${JSON.stringify(longTasksWhileScrolling)}`).toBeLessThanOrEqual(MAX_LONG_TASK_MS);
    await page.close();
  }, 300_000);

  test('retries a failed shell mission from its page and links the two', async () => {
    const workspaceId = (await api.post('/api/v1/workspaces', { name: 'retry' })).body.id as string;
    const failedId = (await api.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo "about to fail"; exit 3', priority: 2 })).body.id as string;
    await waitFor(async () => isTerminalStatus((await api.get(`/api/v1/missions/${failedId}`)).body.status) || null, { timeoutMs: 120_000, what: 'the shell mission to fail' });
    expect((await api.get(`/api/v1/missions/${failedId}`)).body.status).toBe('failed');

    const page = await context.newPage();
    await page.goto(`${fixture!.stack.webUrl}/missions/${failedId}`);
    await page.getByTestId('attempts').getByText('failed').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Retry mission' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/missions/') && !url.pathname.endsWith(failedId), { timeout: 30_000 });
    const retryId = new URL(page.url()).pathname.split('/').pop()!;
    const retry = (await api.get(`/api/v1/missions/${retryId}`)).body;
    expect(retry).toMatchObject({ retryOfId: failedId, workspaceId, agent: 'shell', prompt: 'echo "about to fail"; exit 3', priority: 2, authorId: fixture!.team.userId });
    // The retry links back to the original, and the original to its retry.
    await page.getByTestId('retry-of').getByRole('link').click();
    await page.waitForURL(`${fixture!.stack.webUrl}/missions/${failedId}`);
    await page.getByTestId('retries').getByRole('link', { name: new RegExp(retryId.slice(0, 8)) }).waitFor();
    await waitFor(async () => isTerminalStatus((await api.get(`/api/v1/missions/${retryId}`)).body.status) || null, { timeoutMs: 120_000, what: 'the retry to end' });
    await page.close();
  }, 300_000);
});
