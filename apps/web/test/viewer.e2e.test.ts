import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteTeam, openStackFixture, seedTeam, waitFor, type StackFixture, type TestTeam } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard, signIn } from './browser';
import { createRunningWorkspace } from './e2e-steps';

/**
 * A viewer of a team sees its overview, workspace and mission pages, and none of the controls
 * that would change something (the API refuses those with 403): each place says why instead.
 */
describe('viewer', () => {
  let fixture: StackFixture | undefined;
  let browser: Browser;
  let viewer: TestTeam | undefined;

  beforeAll(async () => {
    requireBuiltDashboard();
    fixture = await openStackFixture({ web: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (viewer) await deleteTeam(fixture!.db, viewer);
    await fixture?.close();
  });

  test('sees the overview, a workspace and a mission, with no write controls', async () => {
    const { stack, team, db, client } = fixture!;
    const web = stack.webUrl!;
    // The viewer's own seeded team is removed, so the team they view is their only one.
    viewer = await seedTeam(db);
    await db.prisma.membership.create({ data: { teamId: team.teamId, userId: viewer.userId, role: 'viewer' } });
    await db.prisma.team.delete({ where: { id: viewer.teamId } });

    const workspaceId = await createRunningWorkspace(client, { name: 'viewed' }, 90_000);
    const mission = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo seen by a viewer' })).body;
    await waitFor(async () => (await client.get(`/api/v1/missions/${mission.id}`)).body.status === 'completed', { timeoutMs: 60_000, what: 'mission completed' });

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, web, viewer);

    // Overview: no "New mission" button, and its shortcut does nothing.
    await page.getByTestId('viewer-badge').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('viewer-badge').getAttribute('title')).toMatch(/viewer.*ask an owner or admin/i);
    expect(await page.getByRole('button', { name: /New mission/ }).count()).toBe(0);
    await page.keyboard.press('n');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Workspace: no lifecycle buttons, no terminal, no upload, no "New mission here".
    await page.goto(`${web}/workspaces/${workspaceId}`);
    await page.getByRole('heading', { name: 'viewed' }).first().waitFor({ timeout: 10_000 });
    await page.getByText('Viewers cannot start, stop or destroy workspaces').waitFor();
    for (const name of ['Stop', 'Pause', 'Rebuild', 'Destroy', 'New mission here']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByText('A terminal runs commands in the workspace').count()).toBe(1);
    expect(await page.getByTestId('terminal-state').count()).toBe(0);
    await page.getByText('Viewers can browse and download, not upload').waitFor({ timeout: 10_000 });
    expect(await page.getByText('Upload a file').count()).toBe(0);

    // Mission: the log is there; retry and cancel are not, and the note says why.
    await page.goto(`${web}/missions/${mission.id}`);
    await page.getByText('seen by a viewer').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('viewer-note').first().waitFor();
    // A viewer may watch: the mission's live stream connects.
    await expect.poll(() => page.getAttribute('[data-testid="connection"]', 'data-state'), { timeout: 10_000 }).toBe('connected');
    for (const name of [/Retry mission|Run again/, /Cancel mission/]) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.mouse.move(1200, 780);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'viewer-mission.png') });
    await context.close();
  });
});
