import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, closeBrowserStack, openBrowserStack, signIn } from './browser';
import { createRunningWorkspace } from './e2e-steps';

/**
 * The workspace page against the real stack in headless Chromium: a terminal that runs what a
 * person types and keeps it across a reload, and a file browser that uploads through the page
 * (and refuses a file over the limit). Needs `npm run build -w @garrison/web` first.
 */
const UPLOAD_MAX = 64 * 1024;

async function terminalText(page: Page): Promise<string> {
  return page.locator('[data-testid="terminal"] .xterm-rows').innerText();
}

describe('workspace page', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;

  beforeAll(async () => {
    ({ fixture, browser } = await openBrowserStack({ env: { FILE_UPLOAD_MAX_BYTES: String(UPLOAD_MAX) } }));
  });

  afterAll(async () => {
    await closeBrowserStack({ fixture, browser });
  });

  test('a terminal that survives a reload, and uploads through the file browser', async () => {
    const { stack, team, client } = fixture!;
    const name = `e2e-ws-${randomBytes(3).toString('hex')}`;
    const workspaceId = await createRunningWorkspace(client, { name }, 60_000);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, stack.webUrl!, team);

    // From the workspaces page to the workspace.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspaces' }).click();
    await page.waitForURL(`${stack.webUrl}/workspaces`);
    await page.getByTestId('workspace-list').getByRole('link', { name, exact: true }).click();
    await page.waitForURL(`${stack.webUrl}/workspaces/${workspaceId}`);
    await expect.poll(() => page.getByTestId('workspace-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('running');

    // The terminal runs what is typed, as the workspace user.
    await expect.poll(() => page.getByTestId('terminal-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected');
    await page.locator('[data-testid="terminal"]').click();
    const typedAt = Date.now();
    await page.keyboard.type('echo result-$((6*7)) && id -un');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/^result-42$/m);
    const commandRoundTripMs = Date.now() - typedAt;
    expect(await terminalText(page)).toMatch(/^agent$/m);

    // A reload reattaches to the same shell: the earlier output is back.
    const reloadedAt = Date.now();
    await page.reload();
    await expect.poll(() => page.getByTestId('terminal-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/^result-42$/m);
    const reattachMs = Date.now() - reloadedAt;
    await page.locator('[data-testid="terminal"]').click();
    await page.keyboard.type('echo after-reload-$((40+2))');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/^after-reload-42$/m);

    // Upload a small file into the workspace through the page; it is listed and opens.
    const files = mkdtempSync(join(tmpdir(), 'garrison-e2e-'));
    const notes = join(files, 'notes.md');
    writeFileSync(notes, '# Notes\nUploaded from the browser.\n');
    await expect.poll(() => page.getByTestId('file-list').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByText('up to 64 KB').waitFor();
    await page.locator('#file-upload').setInputFiles(notes);
    await expect.poll(() => page.getByTestId('upload-status').textContent(), { timeout: 15_000 }).toContain('Uploaded notes.md');
    await page.locator('[data-testid="file-list"] tr[data-name="notes.md"]').waitFor();
    await page.locator('[data-testid="file-list"] tr[data-name="notes.md"] button').click();
    await expect.poll(() => page.getByTestId('file-viewer').textContent(), { timeout: 15_000 }).toContain('Uploaded from the browser.');

    // The terminal sees the uploaded file, in /workspace.
    await page.locator('[data-testid="terminal"]').click();
    await page.keyboard.type('cat notes.md | wc -l');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/^2$/m);

    // Over the limit: a clear refusal, and nothing listed.
    const big = join(files, 'big.bin');
    writeFileSync(big, randomBytes(100 * 1024));
    await page.locator('#file-upload').setInputFiles(big);
    await expect.poll(() => page.getByTestId('upload-status').textContent(), { timeout: 10_000 }).toMatch(/big\.bin is 100 KB; uploads are limited to 64 KB/);
    expect(await page.getByRole('alert').filter({ hasText: 'limited to' }).count()).toBe(1);
    expect(await page.locator('[data-testid="file-list"] tr[data-name="big.bin"]').count()).toBe(0);

    await page.mouse.move(640, 880);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'workspace.png') });
    console.info(JSON.stringify({ commandRoundTripMs, reattachAfterReloadMs: reattachMs }));
    await context.close();
  });

  test('shows the template\'s init script log, kept after it ran', async () => {
    const { stack, team, client } = fixture!;
    const template = (await client.post<{ id: string }>('/api/v1/templates', { name: `init-${randomBytes(2).toString('hex')}`, initScript: 'echo installing toolchain; echo ready' })).body;
    const workspaceId = await createRunningWorkspace(client, { name: `e2e-init-${randomBytes(2).toString('hex')}`, templateId: template.id }, 60_000);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/login?next=${encodeURIComponent(`/workspaces/${workspaceId}`)}`);
    await signIn(page, stack.webUrl!, team, `/workspaces/${workspaceId}`);
    await expect.poll(() => page.getByTestId('init-log').textContent(), { timeout: 15_000 }).toBe('installing toolchain\nready\n');
    expect(await page.getByTestId('init-state').textContent()).toMatch(/^Init script succeeded/);
    await context.close();
  });
});
