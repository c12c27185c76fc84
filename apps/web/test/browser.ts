import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, openStackFixture, type StackFixture, type StackOptions } from '@garrison/testkit';

/** Where the browser tests leave the screenshots the README and docs show. */
export const SCREENSHOTS = resolve(REPO_ROOT, 'docs/screenshots');

/**
 * Debian's Chromium, never a downloaded browser (FACTS.md). The background-networking flags
 * matter: this machine refuses outside connections and Chromium would keep trying.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails early with the fix when the dashboard was not built (`scripts/test` builds it). */
export function requireBuiltDashboard(): void {
  if (!existsSync(resolve(REPO_ROOT, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the dashboard is not built: run `npm run build -w @garrison/web` first');
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Signs in through the login form and waits to land on `landing` (the overview by default). */
export async function signIn(page: Page, webUrl: string, user: { email: string; password: string }, landing = '/'): Promise<void> {
  if (!page.url().startsWith(`${webUrl}/login`)) await page.goto(`${webUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${webUrl}${landing}`);
}

export interface BrowserStack {
  fixture: StackFixture;
  browser: Browser;
}

/** What a browser test file starts with: a real stack serving the built dashboard, and Chromium. */
export async function openBrowserStack(options: StackOptions = {}): Promise<BrowserStack> {
  requireBuiltDashboard();
  const fixture = await openStackFixture({ ...options, web: true });
  try {
    return { fixture, browser: await launchChromium() };
  } catch (error) {
    await fixture.close();
    throw error;
  }
}

/** Closes what `openBrowserStack` opened, whatever part of it got started. */
export async function closeBrowserStack(stack: Partial<BrowserStack>): Promise<void> {
  await stack.browser?.close();
  await stack.fixture?.close();
}
