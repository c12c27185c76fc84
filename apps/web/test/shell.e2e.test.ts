import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, closeBrowserStack, openBrowserStack, signIn } from './browser';

/**
 * The frame around every page, in headless Chromium against the real stack: signing in and out,
 * a session that ends under an open page, the theme, the keyboard way in, and every main page
 * at tablet width.
 */
const MAIN_PAGES = ['/', '/missions', '/workspaces', '/settings'];

describe('dashboard shell', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;

  beforeAll(async () => {
    ({ fixture, browser } = await openBrowserStack());
  });

  afterAll(async () => {
    await closeBrowserStack({ fixture, browser });
  });

  test('signs in and out; a page whose session ends sends you to sign in and back', async () => {
    const { stack, team, db } = fixture!;
    const webUrl = stack.webUrl!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    // Never signed in: a dashboard page asks for sign-in (no talk of an ended session) and
    // comes back to itself afterwards.
    await page.goto(`${webUrl}/workspaces`);
    await page.waitForURL(`${webUrl}/login?next=%2Fworkspaces`);
    expect(await page.getByTestId('session-expired').count()).toBe(0);
    await signIn(page, webUrl, team, '/workspaces');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe(team.email);

    // The session is revoked elsewhere (sign-out on another device, an admin): the next request
    // this open page makes is refused, and it says so instead of showing a broken page.
    await db.prisma.session.updateMany({ where: { userId: team.userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Missions' }).click();
    await page.waitForURL(/\/login\?next=%2Fmissions&reason=expired$/);
    await expect.poll(() => page.getByTestId('session-expired').isVisible()).toBe(true);
    await signIn(page, webUrl, team, '/missions');

    // Sign out ends the session for real: the dashboard is closed to this browser afterwards.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${webUrl}/login`);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
    await context.close();
  });

  test('theme choice applies before paint and survives a reload; the keyboard gets in first', async () => {
    const { stack, team } = fixture!;
    const webUrl = stack.webUrl!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    await signIn(page, webUrl, team);
    const theme = (): Promise<string | null> => page.evaluate(() => document.documentElement.dataset.theme ?? null);
    expect(await theme()).toBe('light');

    // system -> light -> dark
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 18, 23)');
    await page.reload();
    // Read before any client script of ours runs again: the boot script in <head> already set it.
    expect(await theme()).toBe('dark');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'overview-dark.png') });

    // The first Tab lands on the skip link, which moves focus past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await context.close();
  });

  test('every main page fits a tablet without sideways scrolling', async () => {
    const { stack, team } = fixture!;
    const webUrl = stack.webUrl!;
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    await signIn(page, webUrl, team);
    for (const path of MAIN_PAGES) {
      await page.goto(`${webUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} is wider than the tablet by ${overflow}px`).toBeLessThanOrEqual(0);
      await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    }
    await context.close();
  });
});
