import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, closeBrowserStack, openBrowserStack, signIn } from './browser';
import { createRunningWorkspace } from './e2e-steps';

/**
 * Workspaces and the New-mission dialog in headless Chromium against the real stack: create a
 * workspace from its page and watch setup reach running, stop it behind a confirmation, destroy
 * it behind its typed name; open the New-mission dialog with `n`, dispatch with Ctrl+Enter and
 * watch the output arrive on the mission page; the workspace page's missions and live usage.
 */
function card(page: Page, name: string) {
  return page.getByTestId('workspace-card').filter({ has: page.getByRole('link', { name, exact: true }) });
}

async function statusOf(page: Page, scope: ReturnType<Page['locator']>): Promise<string | null> {
  return scope.getByTestId('workspace-status').first().getAttribute('data-status');
}

describe('workspaces and new mission', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;

  beforeAll(async () => {
    ({ fixture, browser } = await openBrowserStack());
  });

  afterAll(async () => {
    await closeBrowserStack({ fixture, browser });
  });

  test('creates a workspace with live setup progress, stops it with confirmation, destroys it by name', async () => {
    const { stack, team, client } = fixture!;
    const webUrl = stack.webUrl!;
    const templateName = `e2e-init-${randomBytes(2).toString('hex')}`;
    const created = await client.post('/api/v1/templates', {
      name: templateName,
      initScript: 'echo preparing toolchain; echo toolchain ready',
      memoryMb: 512,
      cpus: 1,
      pidsLimit: 256,
      networkPolicy: 'none',
    });
    expect(created.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${webUrl}/login?next=%2Fworkspaces`);
    await signIn(page, webUrl, team, '/workspaces');

    // A new team: the empty state says what a workspace is and offers to make one.
    await page.getByTestId('empty-state').getByRole('button', { name: 'Create your first workspace' }).waitFor();
    await page.getByRole('button', { name: 'New workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.waitFor();
    // Each template comes with a one-line description: image, network policy, limits.
    await expect.poll(() => dialog.getByText(templateName).count()).toBe(1);
    expect(await dialog.getByText(/No network · 1 CPU · 512 MB · 256 processes/).count()).toBe(1);

    // Typing into the dialog's field: `n` is a letter there, not the New-mission shortcut.
    const name = `e2e-new-${randomBytes(3).toString('hex')}`;
    await dialog.getByLabel('Name', { exact: true }).pressSequentially(name);
    expect(await page.getByRole('dialog', { name: 'New mission' }).count()).toBe(0);
    await dialog.getByRole('radio', { name: new RegExp(templateName) }).check();
    const createdAt = Date.now();
    await dialog.getByRole('button', { name: 'Create workspace' }).click();

    // Setup followed live in the same dialog: the init script's output, then running.
    const provisioning = page.getByTestId('workspace-provisioning');
    await provisioning.waitFor();
    await expect.poll(() => statusOf(page, provisioning), { timeout: 120_000, interval: 250 }).toBe('running');
    const createToRunningMs = Date.now() - createdAt;
    await expect.poll(() => provisioning.getByTestId('init-log').textContent(), { timeout: 15_000 }).toContain('toolchain ready');
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).first().click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // The list: state, template, network policy, limits and live usage of the running workspace.
    // By id from here on: role queries skip the page behind an open dialog (aria-hidden).
    const workspaceId = (await card(page, name).getAttribute('data-workspace-id'))!;
    const row = page.locator(`[data-testid="workspace-card"][data-workspace-id="${workspaceId}"]`);
    await expect.poll(() => statusOf(page, row), { timeout: 15_000 }).toBe('running');
    expect(await row.textContent()).toMatch(/No network.*1 CPU · 512 MB · 256 processes/s);
    await expect.poll(() => row.getByTestId('workspace-usage').textContent(), { timeout: 20_000 }).toMatch(/CPU[\d.]+%.*Memory\s*[\d.]+ (B|KB|MB)/s);
    await page.mouse.move(1270, 790);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'workspaces.png') });

    // Stop asks first; cancel changes nothing, confirming stops it.
    await row.getByRole('button', { name: 'Stop', exact: true }).click();
    const confirmStop = page.getByRole('dialog', { name: `Stop ${name}?` });
    await confirmStop.getByRole('button', { name: 'Cancel' }).click();
    await confirmStop.waitFor({ state: 'detached' });
    expect(await statusOf(page, row)).toBe('running');
    await row.getByRole('button', { name: 'Stop', exact: true }).click();
    await confirmStop.getByRole('button', { name: 'Stop workspace' }).click();
    await expect.poll(() => statusOf(page, row), { timeout: 60_000, interval: 250 }).toBe('stopped');
    expect((await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status).toBe('stopped');

    // Destroy wants the exact name typed.
    await row.getByRole('button', { name: 'Destroy…' }).click();
    const confirmDestroy = page.getByRole('dialog', { name: `Destroy ${name}?` });
    const destroyButton = confirmDestroy.getByRole('button', { name: 'Destroy workspace' });
    expect(await destroyButton.isDisabled()).toBe(true);
    await confirmDestroy.getByTestId('confirm-input').fill(name.slice(0, -1));
    expect(await destroyButton.isDisabled()).toBe(true);
    await confirmDestroy.getByTestId('confirm-input').fill(name);
    await destroyButton.click();
    await confirmDestroy.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    expect((await client.get(`/api/v1/workspaces/${workspaceId}`)).status).toBe(404);
    console.info(JSON.stringify({ createToRunningMs }));
    await context.close();
  });

  test('opens New mission with n, dispatches with Ctrl+Enter and shows the output live; the workspace page lists it', async () => {
    const { stack, team, client } = fixture!;
    const webUrl = stack.webUrl!;
    const name = `e2e-mission-${randomBytes(3).toString('hex')}`;
    const workspaceId = await createRunningWorkspace(client, { name }, 90_000);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, webUrl, team);

    // `?` lists the shortcuts; `n` on the overview opens the dialog with the prompt focused.
    await page.getByTestId('signed-in-as').waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New mission' });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('mission-prompt');
    // Off a workspace page it starts in a running workspace; pick this test's own.
    await dialog.locator('#mission-workspace').selectOption(workspaceId);
    await dialog.locator('#mission-prompt').focus();
    expect(await dialog.getByText('to dispatch').count()).toBe(1);
    await page.keyboard.type('echo started\nsleep 1\necho hello-$((6*7))');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'new-mission.png') });
    await page.keyboard.press('Control+Enter');

    await page.waitForURL(/\/missions\/[^/?]+$/, { timeout: 15_000 });
    const missionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByText('hello-42', { exact: true }).first().waitFor({ timeout: 60_000 });
    const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
    expect(mission).toMatchObject({ workspaceId, agent: 'shell' });

    // The workspace page: live usage, its missions, and "New mission here" starting in it.
    await page.goto(`${webUrl}/workspaces/${workspaceId}`);
    await expect.poll(() => page.getByTestId('workspace-status').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await page.getByTestId('workspace-missions-table').locator(`tr[data-mission-id="${missionId}"]`).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('#workspace-usage').textContent(), { timeout: 20_000 }).toMatch(/Processes\s*\d+/);
    await expect.poll(() => page.getByTestId('terminal-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected');
    await page.getByRole('button', { name: 'New mission here' }).click();
    await dialog.waitFor();
    expect(await dialog.locator('#mission-workspace').inputValue()).toBe(workspaceId);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Typing into the terminal is never taken for a shortcut.
    await page.locator('[data-testid="terminal"]').click();
    await page.keyboard.type('echo no');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog', { name: 'New mission' }).count()).toBe(0);
    await page.mouse.move(1270, 790);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: resolve(SCREENSHOTS, 'workspace-detail.png') });

    // Dark theme at tablet width: both pages fit without sideways scrolling.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.evaluate(() => localStorage.setItem('garrison:theme', 'dark'));
    for (const path of [`/workspaces/${workspaceId}`, '/workspaces']) {
      await page.goto(`${webUrl}${path}`);
      await page.getByTestId('workspace-usage').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
