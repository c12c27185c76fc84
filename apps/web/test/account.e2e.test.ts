import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashTestPassword, type StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, closeBrowserStack, openBrowserStack, signIn } from './browser';

/**
 * The person's own account in headless Chromium against the real stack: every write the
 * dashboard makes carries the CSRF token transparently, a password change signs out the other
 * browser, and a user in no team is told how to get in.
 */
describe('your account', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;

  beforeAll(async () => {
    ({ fixture, browser } = await openBrowserStack());
  });

  afterAll(async () => {
    await closeBrowserStack({ fixture, browser });
  });

  test('changes the password: the other browser is signed out, this one stays, the new password works', async () => {
    const { stack, team } = fixture!;
    const webUrl = stack.webUrl!;
    const here = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const elsewhere = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await here.newPage();
      await signIn(page, webUrl, team);
      const other = await elsewhere.newPage();
      await signIn(other, webUrl, team);

      // Sign-in set the CSRF cookie, httpOnly: scripts on the page cannot read it.
      const csrfCookie = (await here.cookies()).find((cookie) => cookie.name === 'garrison_csrf');
      expect(csrfCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      // A write without the token, as another site's form would make it, is refused.
      const forged = await page.evaluate(async () => {
        const response = await fetch('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"forged"}' });
        return { status: response.status, code: ((await response.json()) as { code: string }).code };
      });
      expect(forged).toEqual({ status: 403, code: 'csrf_failed' });

      await page.goto(`${webUrl}/settings/account`);
      await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Your account' }).waitFor();
      await expect.poll(() => page.getByTestId('account-email').textContent()).toBe(team.email);

      const form = page.getByRole('form', { name: 'Change password' });
      await form.getByLabel('Current password').fill('not-my-password');
      await form.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
      await form.getByLabel('Repeat new password').fill('a-brand-new-password');
      await form.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Your current password is wrong');

      await form.getByLabel('Current password').fill(team.password);
      await form.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
      await form.getByLabel('Repeat new password').fill('a-brand-new-password');
      await form.getByRole('button', { name: 'Change password' }).click();
      // The other browser, and the fixture's own API client signed in as the same person.
      await expect.poll(() => page.getByTestId('password-changed').textContent()).toContain('2 other sessions were signed out');
      await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-account.png') });

      // The other browser's next request finds its session gone and asks to sign in again.
      await other.reload();
      await other.waitForURL(/\/login\?/);
      // This one carries on, writes included (the token is attached by callApi).
      await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'API tokens' }).click();
      await page.getByLabel('Name').fill('after-password-change');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('token-once').waitFor();

      const fresh = await (await browser.newContext()).newPage();
      await signIn(fresh, webUrl, { email: team.email, password: 'a-brand-new-password' });
      await fresh.context().close();
    } finally {
      await here.close();
      await elsewhere.close();
    }
  });

  test('a user in no team can sign in and is told how to get an invite', async () => {
    const { stack, db } = fixture!;
    const webUrl = stack.webUrl!;
    const email = `no-team-${Date.now()}@test.garrison.dev`;
    const user = await db.prisma.user.create({ data: { email, passwordHash: await hashTestPassword('a-long-password') } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await signIn(page, webUrl, { email, password: 'a-long-password' }, '/no-team');
      await expect.poll(() => page.getByTestId('no-team-email').textContent()).toBe(email);
      expect(await page.getByTestId('no-team').textContent()).toContain('Ask an owner or admin of your team for an invite link');
      await page.screenshot({ path: resolve(SCREENSHOTS, 'no-team.png') });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${webUrl}/login`);
      expect(await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status)).toBe(401);
    } finally {
      await context.close();
      await db.prisma.user.delete({ where: { id: user.id } });
    }
  });
});
