import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard } from './browser';
import { createRunningWorkspace } from './e2e-steps';

/**
 * Review from the dashboard, against the real stack: a repository (a bare remote inside the
 * workspace) is added from the workspace page, a Claude Code mission on it changes files on its
 * own branch, the reviewer comments on a line of the diff, the comment reaches the agent as a
 * follow-up on the same branch, and the merge lands on the base branch.
 */
let fixture: StackFixture | undefined;
let api: ApiClient;
let model: ScriptedModelServer | undefined;
let browser: Browser | undefined;
let page: Page;
let workspaceId: string;
let webUrl: string;

const GIT_AS = '-c user.email=e2e@garrison.test -c user.name=e2e';
// The mission's worktree, wherever the agent's tools start from.
const IN_WORKTREE = 'W=$(ls -d /workspace/.garrison/worktrees/*/ 2>/dev/null | head -n1); cd "${W:-.}"';

async function waitForMission(id: string, what: string, done: (mission: { status: string; reviewStatus?: string }) => boolean, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const mission = (await api.get(`/api/v1/missions/${id}`)).body as { status: string; statusReason: string | null; reviewStatus?: string };
      if (['failed', 'canceled', 'interrupted'].includes(mission.status)) throw new Error(`mission ${id} (${what}) ended as ${mission.status}: ${mission.statusReason}`);
      return done(mission) ? mission : null;
    },
    { timeoutMs, what },
  );
}

/** Runs a shell script in the workspace as a mission of its own and answers what it printed. */
async function shell(script: string): Promise<string> {
  const created = await api.post<{ id: string }>('/api/v1/missions', { workspaceId, agent: 'shell', prompt: script });
  expect(created.status).toBe(201);
  await waitForMission(created.body.id, 'shell mission', (mission) => mission.status === 'completed');
  const events = (await api.get(`/api/v1/missions/${created.body.id}/events?limit=5000`)).body.events as MissionEvent[];
  return events
    .filter((event) => (event.payload as { stream?: string }).stream === 'stdout')
    .map((event) => (event.payload as { text: string }).text)
    .join('\n');
}

/** A "remote": a bare repository inside the workspace, seeded with one commit on main. */
async function seedRemote(name: string): Promise<void> {
  await shell(
    [
      'set -e',
      `git init -q --bare -b main /workspace/${name}.git`,
      `rm -rf /tmp/${name} && git init -q -b main /tmp/${name} && cd /tmp/${name}`,
      `printf 'export function greet(name: string): string {\\n  return "Hello, " + name;\\n}\\n' > greet.ts`,
      `printf '# Demo\\n' > README.md`,
      `git add . && git ${GIT_AS} commit -qm init`,
      `git push -q /workspace/${name}.git main`,
    ].join('\n'),
  );
}

beforeAll(async () => {
  requireBuiltDashboard();
  model = await startScriptedModelServer();
  fixture = await openStackFixture({ web: true });
  api = fixture.client;
  webUrl = fixture.stack.webUrl!;
  await api.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-e2e-review', baseUrl: model.url });
  const templates = (await api.get('/api/v1/templates')).body.templates as { id: string; name: string }[];
  workspaceId = await createRunningWorkspace(api, { name: 'review', templateId: templates.find((t) => t.name === 'agents')!.id }, 90_000);
  await seedRemote('remote');
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'garrison_session', value: api.sessionCookie!.split('=')[1]!, url: webUrl }]);
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await model?.close();
});

describe('reviewing a mission’s branch', () => {
  test('add a repository, review the diff, comment to the agent, merge into the base', async () => {
    // 1. The repository, added from the workspace page; the name is suggested from the URL.
    await page.goto(`${webUrl}/workspaces/${workspaceId}`);
    const panel = page.locator('#workspace-repositories');
    await panel.getByText('No repository yet').waitFor();
    await panel.getByRole('button', { name: 'Add repository' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a repository' });
    await dialog.getByLabel('Clone URL').fill('file:///workspace/remote.git');
    await expect(dialog.getByLabel('Directory name').inputValue()).resolves.toBe('remote');
    await dialog.getByRole('button', { name: 'Add repository' }).click();
    await dialog.waitFor({ state: 'detached' });
    await panel.locator('[data-testid="repository-status"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await expect(panel.locator('tr[data-repository="remote"]').textContent()).resolves.toContain('main');

    // 2. A Claude Code mission on it, from the new-mission dialog: the base defaults to main.
    model!.script(
      { toolCalls: [{ name: 'mcp__garrison__bash', input: { command: `${IN_WORKTREE} && printf 'export function greet(name: string): string {\\n  return \`Hi, \${name}\`;\\n}\\n' > greet.ts && printf 'notes\\n' > NOTES.md` } }] },
      { text: 'Changed the greeting and added notes.' },
    );
    await page.locator('#workspace-missions').getByRole('button', { name: 'New mission here' }).click();
    const form = page.getByTestId('new-mission-form');
    await form.getByLabel('Agent').selectOption('claude-code');
    await form.getByLabel('Repository').selectOption({ label: 'remote' });
    await expect(form.getByLabel('Base branch').inputValue()).resolves.toBe('main');
    await form.getByLabel('Prompt').fill('Make the greeting friendlier');
    await form.getByRole('button', { name: 'Dispatch mission' }).click();
    await page.waitForURL(/\/missions\/[^/]+$/);
    const missionId = page.url().split('/').pop()!;
    await waitForMission(missionId, 'the first turn ready for review', (mission) => mission.status === 'completed' && mission.reviewStatus === 'ready_for_review');

    // 3. The mission page shows its branch and leads to the review.
    const branch = page.getByTestId('mission-branch');
    await expect.poll(() => branch.textContent(), { timeout: 15_000 }).toMatch(/garrison\/\S+ from main/);
    await branch.getByRole('link', { name: 'Review the changes →' }).click();
    await page.waitForURL(`${webUrl}/missions/${missionId}/review`);
    await expect.poll(() => page.getByTestId('review-totals').textContent(), { timeout: 15_000 }).toContain('2 files changed');
    const files = page.getByTestId('review-file-list');
    await expect(files.textContent()).resolves.toContain('NOTES.md');
    const greet = page.locator('[data-testid="diff-file"][data-path="greet.ts"]');
    await greet.waitFor();
    await expect(greet.locator('tr[data-line-kind="add"]').first().textContent()).resolves.toContain('Hi, ${name}');
    // Highlighted by language: the keyword is a token of its own.
    expect(await greet.locator('.hljs-keyword').count()).toBeGreaterThan(0);

    // 4. A comment on the added line, by keyboard: Enter on the line number, Ctrl+Enter to keep it.
    await greet.getByRole('button', { name: 'Comment on greet.ts line 2', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Comment on greet.ts line 2' }).fill('Keep the exclamation mark: "Hi, ${name}!"');
    await page.keyboard.press('Control+Enter');
    await expect(greet.getByTestId('review-comment').textContent()).resolves.toContain('exclamation mark');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'review.png') });

    // On a 768 px tablet in the dark theme the review and the repositories fit; the diff scrolls in its box.
    const tablet = await browser!.newContext({ viewport: { width: 768, height: 1024 }, colorScheme: 'dark', storageState: await page.context().storageState() });
    const tabletPage = await tablet.newPage();
    for (const [path, ready] of [
      [`/missions/${missionId}/review`, '[data-testid="diff-file"]'],
      [`/workspaces/${workspaceId}`, '[data-testid="repositories-table"]'],
    ] as const) {
      await tabletPage.goto(`${webUrl}${path}`);
      await tabletPage.locator(ready).first().waitFor();
      expect(await tabletPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    }
    await tablet.close();

    // 5. Sent to the agent: its next turn gets the comment with file:line, and commits on the same branch.
    const before = (await api.get(`/api/v1/missions/${missionId}`)).body as { branch: string };
    const requestsBefore = model!.requests.length;
    model!.script(
      { toolCalls: [{ name: 'mcp__garrison__bash', input: { command: `${IN_WORKTREE} && sed -i 's/Hi, \${name}/Hi, \${name}!/' greet.ts` } }] },
      { text: 'Added the exclamation mark.' },
    );
    await page.getByRole('button', { name: 'Send comment to the agent' }).click();
    await page.getByTestId('review-sent').waitFor();
    const followUp = await waitFor(
      () => model!.requests.slice(requestsBefore).find((request) => request.rawBody.includes('Keep the exclamation mark')) ?? null,
      { timeoutMs: 60_000, what: 'the review comment reaching the model' },
    );
    expect(followUp.rawBody).toContain('greet.ts:2');
    await waitForMission(missionId, 'the follow-up ready for review', (mission) => mission.status === 'completed' && mission.reviewStatus === 'ready_for_review');
    const after = (await api.get(`/api/v1/missions/${missionId}`)).body as { branch: string };
    expect(after.branch).toBe(before.branch);
    await expect.poll(() => greet.locator('tr[data-line-kind="add"]').first().textContent(), { timeout: 15_000 }).toContain('Hi, ${name}!');

    // 6. Merge with a merge commit; the base branch of the checkout holds the change.
    await page.getByRole('button', { name: 'Merge…' }).click();
    const merge = page.getByRole('dialog', { name: 'Merge into main?' });
    await merge.getByLabel(/Merge commit/).check();
    await merge.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => page.getByTestId('review-outcome').textContent(), { timeout: 60_000 }).toContain('Merged into main');
    await expect.poll(() => page.getByTestId('review-status').first().getAttribute('data-status')).toBe('merged');
    const onMain = await shell('git -C /workspace/repos/remote show main:greet.ts && git -C /workspace/repos/remote show main:NOTES.md');
    expect(onMain).toContain('Hi, ${name}!');
    expect(onMain).toContain('notes');

    // The mission page lists the changed files as git reports them.
    await page.goto(`${webUrl}/missions/${missionId}`);
    const touched = page.locator('[data-testid="files-touched"][data-source="git"]');
    await expect.poll(() => touched.textContent(), { timeout: 15_000 }).toContain('NOTES.md');
  }, 300_000);

  test('a conflicting merge changes nothing, discard deletes the branch, a deploy key is shown to copy and cloned on request', async () => {
    await seedRemote('second');
    const added = await api.post<{ repository: { id: string } }>(`/api/v1/workspaces/${workspaceId}/repositories`, { name: 'second', url: 'file:///workspace/second.git' });
    expect(added.status).toBe(202);
    const repositoryId = added.body.repository.id;
    await waitFor(async () => ((await api.get(`/api/v1/workspaces/${workspaceId}/repositories`)).body.repositories as { id: string; status: string }[]).find((repo) => repo.id === repositoryId && repo.status === 'ready') ?? null, {
      timeoutMs: 60_000,
      what: 'repository second cloned',
    });
    // A shell mission on its own branch changes line 2; then main moves on with another line 2.
    const created = await api.post<{ id: string }>('/api/v1/missions', { workspaceId, agent: 'shell', repositoryId, prompt: `sed -i 's/Hello, /Bye, /' greet.ts` });
    expect(created.status).toBe(201);
    const missionId = created.body.id;
    await waitForMission(missionId, 'shell mission ready for review', (mission) => mission.status === 'completed' && mission.reviewStatus === 'ready_for_review');
    await shell(`set -e; cd /workspace/repos/second; sed -i 's/Hello, /Howdy, /' greet.ts; git ${GIT_AS} commit -qam 'main moves on'`);

    // The board marks it for review and leads there.
    await page.goto(`${webUrl}/missions`);
    await page.locator(`tr[data-mission="${missionId}"]`).getByTestId('board-review-link').click();
    await page.waitForURL(`${webUrl}/missions/${missionId}/review`);
    const greet = page.locator('[data-testid="diff-file"][data-path="greet.ts"]');
    await greet.waitFor();
    // A shell mission cannot continue a session: comments can be written but not sent.
    await greet.getByRole('button', { name: 'Comment on greet.ts line 2', exact: true }).click();
    await page.getByRole('textbox', { name: 'Comment on greet.ts line 2' }).fill('Not bye');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await expect(page.locator('#review-comments').textContent()).resolves.toContain('cannot continue a session');
    expect(await page.getByRole('button', { name: 'Send comment to the agent' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Merge…' }).click();
    const merge = page.getByRole('dialog', { name: 'Merge into main?' });
    await merge.getByRole('button', { name: 'Merge', exact: true }).click();
    const conflict = merge.getByTestId('merge-conflict');
    await conflict.waitFor({ timeout: 60_000 });
    await expect(conflict.textContent()).resolves.toMatch(/greet\.ts[\s\S]*Nothing was changed/);
    await merge.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get(`/api/v1/missions/${missionId}`)).body.reviewStatus).toBe('ready_for_review');
    const state = await shell('cd /workspace/repos/second && git status --porcelain && git show main:greet.ts');
    expect(state).toContain('Howdy, ');
    expect(state).not.toContain('<<<<<<<');

    await page.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('dialog', { name: 'Discard these changes?' }).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => page.getByTestId('review-outcome').textContent(), { timeout: 60_000 }).toContain('Discarded');
    await expect.poll(() => page.getByTestId('review-status').first().getAttribute('data-status')).toBe('discarded');
    const branches = await shell(`git -C /workspace/repos/second branch --list 'garrison/*' | wc -l`);
    expect(branches.trim()).toBe('0');

    // An SSH deploy key: the dialog shows the public half to add at the git host.
    await page.goto(`${webUrl}/workspaces/${workspaceId}`);
    const panel = page.locator('#workspace-repositories');
    await panel.getByRole('button', { name: 'Add repository' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a repository' });
    await dialog.getByLabel('Clone URL').fill('https://example.invalid/acme/app.git');
    await dialog.getByLabel('SSH deploy key').check();
    await dialog.getByRole('button', { name: 'Add repository' }).click();
    // Checked before the API is asked: a deploy key needs an SSH URL.
    await dialog.getByText('A deploy key needs an SSH URL').waitFor();
    await dialog.getByLabel('Clone URL').fill('git@example.invalid:acme/app.git');
    await dialog.getByRole('button', { name: 'Add repository' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'Add the deploy key' });
    const publicKey = await keyDialog.getByLabel('Public deploy key').inputValue();
    expect(publicKey).toMatch(/^ssh-ed25519 /);
    await keyDialog.getByText('Add this key as a deploy key, then press Clone.').waitFor();
    await keyDialog.getByRole('button', { name: 'Clone', exact: true }).waitFor();
    await keyDialog.getByRole('button', { name: 'Clone later' }).click();
    const row = panel.locator('tr[data-repository="app"]');
    await expect(row.textContent()).resolves.toContain('SSH deploy key');
    // No clone before the key is installed at the host: the repository waits with a Clone button.
    await row.locator('[data-testid="repository-status"][data-status="awaiting_key"]').waitFor();
    const listRepos = async () => (await api.get(`/api/v1/workspaces/${workspaceId}/repositories`)).body.repositories as Array<{ name: string; status: string; publicKey: string | null }>;
    expect((await listRepos()).find((repo) => repo.name === 'app')).toMatchObject({ status: 'awaiting_key', publicKey });
    await page.screenshot({ path: resolve(SCREENSHOTS, 'review-deploy-key-awaiting.png') });
    await row.getByRole('button', { name: 'Clone app' }).click();
    // Nobody added the key (and the host does not exist): the clone fails with git's reason.
    await row.locator('[data-testid="repository-status"][data-status="failed"]').waitFor({ timeout: 60_000 });
    // Retrying keeps the same key (no remove + add, no new key to install).
    const cloneAudits = async () => ((await api.get('/api/v1/audit?action=repository.clone')).body.entries as Array<{ outcome: string }>).filter((entry) => entry.outcome === 'ok').length;
    expect(await cloneAudits()).toBe(1);
    await row.getByRole('button', { name: 'Retry clone of app' }).click();
    await waitFor(async () => (await cloneAudits()) === 2, { timeoutMs: 30_000, what: 'the retried clone' });
    const retried = await waitFor(async () => (await listRepos()).find((repo) => repo.name === 'app' && repo.status === 'failed'), { timeoutMs: 60_000, what: 'the retried clone to fail' });
    expect(retried.publicKey).toBe(publicKey);
    await row.getByRole('button', { name: 'Retry clone of app' }).waitFor();

    await row.getByRole('button', { name: 'Remove app' }).click();
    await page.getByRole('dialog', { name: 'Remove app?' }).getByRole('button', { name: 'Remove repository' }).click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
  }, 300_000);
});
