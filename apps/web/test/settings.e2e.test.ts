import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ApiClient, deleteTeam, openStackFixture, removeTeamWorkspaces, seedTeam, waitFor, type StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard, signIn } from './browser';

/**
 * Settings against the real stack in headless Chromium: a provider key that is never shown back,
 * an API token shown once, an invite link that a second browser uses to create an account and
 * land in the team, a role change, the team switcher and the audit log of all of it.
 * Needs `npm run build -w @garrison/web` first.
 */
const ANTHROPIC_KEY = `sk-ant-e2e-${randomBytes(12).toString('hex')}-K3y9`;

describe('settings', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    requireBuiltDashboard();
    // A fast reconciler: the team-deletion test waits for it to remove the deleted team's container.
    fixture = await openStackFixture({ web: true, env: { RECONCILE_INTERVAL_MS: '2000' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const step of cleanup.reverse()) await step().catch(() => {});
    await fixture?.close();
  });

  test('credentials, tokens, an invite accepted in another browser, roles, team switch and audit', async () => {
    const { stack, team, db } = fixture!;
    const web = stack.webUrl!;
    const firstTeamName = (await db.prisma.team.findUniqueOrThrow({ where: { id: team.teamId } })).name;
    const secondTeam = await db.prisma.team.create({
      data: { name: `Second team ${randomBytes(2).toString('hex')}`, memberships: { create: { userId: team.userId, role: 'admin' } } },
    });
    cleanup.push(() => db.prisma.team.deleteMany({ where: { id: secondTeam.id } }));

    const owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web });
    const page = await owner.newPage();
    await signIn(page, web, team);
    await expect.poll(() => page.getByTestId('team-name').textContent(), { timeout: 10_000 }).toBe(firstTeamName);

    // Credentials: set a key, see "Set" with its last four, and never the key itself.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${web}/settings/credentials`);
    await expect.poll(() => page.getByTestId('credential-anthropic-state').textContent(), { timeout: 10_000 }).toBe('Not set');
    await page.getByRole('button', { name: 'Set Anthropic key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('API key').fill(ANTHROPIC_KEY);
    expect(await dialog.getByLabel('API key').getAttribute('type')).toBe('password');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => page.getByTestId('credential-anthropic-state').textContent(), { timeout: 10_000 }).toMatch(/^Set · ends in K3y9/);
    expect(await page.content()).not.toContain(ANTHROPIC_KEY.slice(0, 20));
    await page.reload();
    await page.getByTestId('credential-anthropic-state').getByText('Set').waitFor();
    expect(await page.content()).not.toContain(ANTHROPIC_KEY.slice(0, 20));

    // Templates: the shared ones are listed; create one for the team.
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByText('No team templates yet').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('node-toolchain');
    await page.getByRole('dialog').getByLabel('Environment (optional)').fill('NODE_ENV=development');
    await page.getByRole('dialog').getByLabel('Memory (MB)').fill('1024');
    await page.getByRole('dialog').getByRole('button', { name: 'Create template' }).click();
    await page.getByTestId('templates-table').getByText('node-toolchain').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('templates-table').textContent()).toContain('1024 MB');

    // API token: shown once with a warning, gone after a reload, listed by prefix.
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(`${web}/settings/tokens`);
    await page.getByTestId('empty-state').waitFor();
    await page.getByLabel('Name').fill('ci-pipeline');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('token-secret').textContent({ timeout: 10_000 }))!.trim();
    expect(secret).toMatch(/^gt_/);
    expect(await page.getByTestId('token-once').textContent()).toMatch(/will not be shown again/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied.' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByTestId('token-row').first().waitFor();
    await page.mouse.move(1200, 780);
    // The docs' picture shows where the token appears, never a token (even a dead stack's).
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-tokens.png'), mask: [page.getByTestId('token-secret')] });
    await page.reload();
    await page.getByTestId('token-row').first().waitFor();
    expect(await page.getByTestId('token-row').first().textContent()).toContain(`${secret.slice(0, 8)}…`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByTestId('token-once').count()).toBe(0);

    // Invite: a link shown once.
    await page.goto(`${web}/settings/invites`);
    await page.getByText('No invites yet').waitFor();
    await page.getByLabel('Role').selectOption('member');
    await page.getByRole('button', { name: 'Create link' }).click();
    const link = (await page.getByTestId('invite-link').textContent({ timeout: 10_000 }))!.trim();
    expect(link).toMatch(new RegExp(`^${web}/invite/gi_`));
    await expect.poll(() => page.getByTestId('invite-state').first().textContent()).toBe('pending');

    // A second browser opens the link signed out, creates an account and lands in the team.
    const joinerEmail = `joiner-${randomBytes(3).toString('hex')}@test.garrison.dev`;
    cleanup.push(() => db.prisma.user.deleteMany({ where: { email: joinerEmail } }));
    const joinerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const joiner = await joinerContext.newPage();
    await joiner.goto(link);
    await joiner.getByRole('heading', { name: `Join ${firstTeamName}` }).waitFor();
    await joiner.screenshot({ path: resolve(tmpdir(), 'garrison-invite-page.png') });
    await joiner.getByLabel('Email').fill(joinerEmail);
    await joiner.getByLabel('Name (optional)').fill('Jo Iner');
    await joiner.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
    await joiner.getByLabel('Repeat password').fill('correct-horse-battery');
    await joiner.getByRole('button', { name: 'Create account and join' }).click();
    await joiner.waitForURL(`${web}/`);
    await expect.poll(() => joiner.getByTestId('team-name').textContent(), { timeout: 10_000 }).toBe(firstTeamName);
    expect(await joiner.getByTestId('signed-in-as').textContent()).toBe(joinerEmail);
    // The same link again says it was used and what to do.
    await joiner.goto(link);
    await joiner.getByTestId('invite-unusable').getByText('already been used').waitFor();
    expect(await joiner.getByTestId('invite-unusable').textContent()).toMatch(/ask an admin/i);

    // Back as the owner: the new member is listed; make them a viewer.
    await page.goto(`${web}/settings/members`);
    const row = page.locator(`[data-testid="member-row"][data-email="${joinerEmail}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('Jo Iner');
    await page.getByLabel(`Role of ${joinerEmail}`).selectOption('viewer');
    await expect
      .poll(async () => (await db.prisma.membership.findFirst({ where: { teamId: team.teamId, user: { email: joinerEmail } } }))?.role, { timeout: 10_000 })
      .toBe('viewer');
    await expect.poll(() => page.getByLabel(`Role of ${joinerEmail}`).inputValue()).toBe('viewer');
    await page.mouse.move(1200, 780);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-members.png') });

    // The viewer sees read-only settings with who can change them.
    await joiner.goto(`${web}/settings/credentials`);
    await joiner.getByTestId('read-only-note').waitFor();
    expect(await joiner.getByTestId('read-only-note').textContent()).toMatch(/You are a viewer.*only owners and admins can set, replace or remove provider keys/);
    expect(await joiner.getByRole('button', { name: /Set .* key|Replace .* key/ }).count()).toBe(0);
    await joinerContext.close();

    // The audit log lists what happened, newest first, and filters by action.
    await page.goto(`${web}/settings/audit`);
    await page.getByTestId('audit-table').waitFor({ timeout: 10_000 });
    const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    for (const action of ['credential.put', 'template.create', 'token.create', 'invite.create', 'invite.accept', 'member.role_change']) expect(actions).toContain(action);
    expect(actions.indexOf('member.role_change')).toBeLessThan(actions.indexOf('credential.put'));
    await page.getByLabel('Action').selectOption('token.create');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-table').textContent()).toContain(team.email);
    expect(await page.content()).not.toContain(ANTHROPIC_KEY.slice(0, 20));
    // Each row shows its target, outcome and request id; a target and a day range narrow the list.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('audit-request-id').first().textContent()).toMatch(/^[\w-]{8}$/);
    expect(await page.locator('[data-testid="audit-row"][data-action="credential.put"] [data-testid="audit-outcome"]').first().getAttribute('class')).toContain('text-ok');
    await page.locator('[data-testid="audit-row"][data-action="credential.put"]').first().getByRole('button', { name: /credential anthropic/ }).click();
    await expect.poll(() => page.getByLabel('Target id').inputValue()).toBe('anthropic');
    await expect.poll(() => page.getByTestId('audit-row').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-action')))])).toEqual(['credential.put']);
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
    await page.getByLabel('To (day, included)').fill(day);
    await page.getByText('Nothing matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(3);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-audit.png') });

    // The team switcher moves the session to the second team and starts over on the overview.
    await page.getByTestId('team-switcher').click();
    await page.getByRole('menuitemradio', { name: new RegExp(secondTeam.name) }).click();
    await page.waitForURL(`${web}/`);
    await expect.poll(() => page.getByTestId('team-name').textContent(), { timeout: 10_000 }).toBe(secondTeam.name);
    await page.goto(`${web}/settings/credentials`);
    await expect.poll(() => page.getByTestId('credential-anthropic-state').textContent(), { timeout: 10_000 }).toBe('Not set');
    await page.goto(`${web}/settings/audit`);
    await page.locator('[data-testid="audit-row"][data-action="team.switch"]').waitFor({ timeout: 10_000 });
    await owner.close();
  });

  test('the owner transfers the team, and the new owner deletes it once its mission ended', async () => {
    const { stack, db } = fixture!;
    const web = stack.webUrl!;
    // Two people, each with a team of their own; the second joins the first's team as a member.
    const first = await seedTeam(db);
    const second = await seedTeam(db);
    cleanup.push(async () => {
      await removeTeamWorkspaces(first.teamId);
      await deleteTeam(db, first);
      await deleteTeam(db, second);
    });
    await db.prisma.membership.create({ data: { teamId: first.teamId, userId: second.userId, role: 'member' } });
    const teamName = (await db.prisma.team.findUniqueOrThrow({ where: { id: first.teamId } })).name;
    const secondTeamName = (await db.prisma.team.findUniqueOrThrow({ where: { id: second.teamId } })).name;

    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ownerContext.newPage();
    await signIn(page, web, first);
    await page.goto(`${web}/settings/team`);
    const danger = page.getByRole('region', { name: 'Danger zone' });
    await danger.waitFor({ timeout: 10_000 });
    await page.getByLabel('New owner').selectOption({ label: `${second.email} — member` });
    await page.mouse.move(1200, 780);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'settings-team.png') });
    await page.getByRole('button', { name: 'Transfer ownership…' }).click();
    const transferDialog = page.getByRole('dialog');
    // The confirm button waits for the team's name.
    expect(await transferDialog.getByRole('button', { name: 'Transfer ownership' }).isDisabled()).toBe(true);
    await transferDialog.getByTestId('confirm-input').fill(teamName);
    await transferDialog.getByRole('button', { name: 'Transfer ownership' }).click();
    // Now an admin: the danger zone gives way to a note saying who can act.
    await page.getByTestId('read-only-note').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('read-only-note').textContent()).toMatch(/only owners can transfer or delete the team/);
    expect(await danger.count()).toBe(0);
    const roles = await db.prisma.membership.findMany({ where: { teamId: first.teamId }, select: { userId: true, role: true } });
    expect(Object.fromEntries(roles.map((row) => [row.userId, row.role]))).toEqual({ [first.userId]: 'admin', [second.userId]: 'owner' });
    await ownerContext.close();

    // The new owner runs a mission in the team, so deleting it is refused while the mission is active.
    const api = new ApiClient(stack.apiUrl);
    await api.login(second.email, second.password);
    expect((await api.post('/api/v1/auth/team', { teamId: first.teamId })).status).toBe(200);
    const workspace = (await api.post('/api/v1/workspaces', { name: 'doomed' })).body;
    const mission = (await api.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'sleep 600' })).body;

    const newOwnerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const owner = await newOwnerContext.newPage();
    await signIn(owner, web, second);
    await owner.getByTestId('team-switcher').click();
    await owner.getByRole('menuitemradio', { name: new RegExp(teamName) }).click();
    await expect.poll(() => owner.getByTestId('team-name').textContent(), { timeout: 10_000 }).toBe(teamName);
    await owner.goto(`${web}/settings/team`);
    await owner.getByRole('button', { name: 'Delete team…' }).click();
    const deleteDialog = owner.getByRole('dialog');
    await deleteDialog.getByTestId('confirm-input').fill(teamName);
    await deleteDialog.getByRole('button', { name: 'Delete team', exact: true }).click();
    await deleteDialog.getByText(/The team has 1 active mission; cancel it/).waitFor({ timeout: 10_000 });
    expect(await db.prisma.team.count({ where: { id: first.teamId } })).toBe(1);

    // Once the mission is cancelled and ended, the delete goes through.
    expect((await api.post(`/api/v1/missions/${mission.id}/cancel`)).status).toBe(202);
    await waitFor(async () => (await db.prisma.mission.findUnique({ where: { id: mission.id } }))?.status === 'canceled', { timeoutMs: 60_000, what: 'the mission canceled' });
    await deleteDialog.getByRole('button', { name: 'Delete team', exact: true }).click();
    await expect.poll(() => owner.getByTestId('team-name').textContent(), { timeout: 15_000 }).toBe(secondTeamName);
    expect(await db.prisma.team.count({ where: { id: first.teamId } })).toBe(0);
    expect(await db.prisma.auditLog.count({ where: { action: 'team.delete', targetId: first.teamId, outcome: 'ok', teamId: null } })).toBe(1);
    // The worker's reconciler removes the container of the workspace whose row went with the team.
    const containersOf = () => execFileSync('docker', ['ps', '-aq', '--filter', `label=dev.garrison.team-id=${first.teamId}`]).toString().trim();
    await waitFor(() => containersOf() === '', { timeoutMs: 30_000, what: "the deleted team's container removed" });
    await newOwnerContext.close();
  });

  test('every section fits a 768 px tablet in the dark theme', async () => {
    const { stack, team } = fixture!;
    const web = stack.webUrl!;
    const context = await browser.newContext({ viewport: { width: 768, height: 1000 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await signIn(page, web, team);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    for (const section of ['credentials', 'templates', 'members', 'invites', 'tokens', 'audit', 'team']) {
      await page.goto(`${web}/settings/${section}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await expect.poll(() => page.getByRole('status').filter({ hasText: /Loading/ }).count(), { timeout: 10_000 }).toBe(0);
      // Wide tables scroll inside their panel; the page itself never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), section).toBeLessThanOrEqual(768);
      await page.screenshot({ path: resolve(tmpdir(), `garrison-settings-${section}-768-dark.png`), fullPage: true });
    }
    await context.close();
  });
});
