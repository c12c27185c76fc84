import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { SCREENSHOTS, launchChromium, requireBuiltDashboard } from './browser';
import { createRunningWorkspace } from './e2e-steps';

/**
 * A person answers a real Claude Code agent from the mission page: allows one change, denies
 * another with a comment, and answers its question by clicking one of the offered options. The
 * model is the scripted server behind the real gateway; the CLI runs in the workspace.
 */
const tool = (name: string) => `mcp__garrison__${name}`;

let fixture: StackFixture | undefined;
let api: ApiClient;
let model: ScriptedModelServer | undefined;
let browser: Browser | undefined;
let page: Page;
let workspaceId: string;

async function events(missionId: string): Promise<MissionEvent[]> {
  return (await api.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events;
}

/** The page's log model holds exactly the stored events, and the rendered rows are a contiguous, in-order run of them. */
async function expectLogMatches(missionId: string): Promise<void> {
  const stored = (await events(missionId)).map((event) => event.seq);
  await expect.poll(() => page.evaluate(() => window.__garrisonTest!.logSeqs()), { timeout: 15_000 }).toEqual(stored);
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  const rendered = await page.$$eval('[data-testid="event-log"] [data-seq]', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.seq)));
  expect(rendered.length).toBeGreaterThan(0);
  const from = stored.indexOf(rendered[0]!);
  expect(from).toBeGreaterThanOrEqual(0);
  expect(rendered).toEqual(stored.slice(from, from + rendered.length));
}

async function statusOf(missionId: string): Promise<string> {
  return (await api.get(`/api/v1/missions/${missionId}`)).body.status;
}

beforeAll(async () => {
  requireBuiltDashboard();
  model = await startScriptedModelServer();
  fixture = await openStackFixture({ web: true });
  api = fixture.client;
  await api.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-e2e-0001', baseUrl: model.url });
  const templates = (await api.get('/api/v1/templates')).body.templates as { id: string; name: string }[];
  workspaceId = await createRunningWorkspace(api, { name: 'conversation', templateId: templates.find((t) => t.name === 'agents')!.id }, 90_000);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.addCookies([{ name: 'garrison_session', value: api.sessionCookie!.split('=')[1]!, url: fixture.stack.webUrl! }]);
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await model?.close();
});

describe('talking to an agent from the mission page', () => {
  test('allows one change and denies another with a comment', async () => {
    model!.script(
      { toolCalls: [{ name: tool('write_file'), input: { path: 'yes.txt', content: 'allowed' } }] },
      { toolCalls: [{ name: tool('write_file'), input: { path: 'no.txt', content: 'denied' } }] },
      { text: 'Done: **one** written, one refused.\n\n| file | decision |\n| --- | --- |\n| `yes.txt` | allowed |\n| `no.txt` | denied |\n\nSee [the policy](https://example.com/policy).' },
    );
    const id = (await api.post('/api/v1/missions', { workspaceId, agent: 'claude-code', prompt: 'Write two files', policy: 'ask' })).body.id as string;
    await page.goto(`${fixture!.stack.webUrl}/missions/${id}?testHooks=1`);

    const approval = page.getByTestId('pending-approval');
    await approval.waitFor({ timeout: 60_000 });
    await expect(approval.textContent()).resolves.toContain('write yes.txt');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'mission-approval.png') });
    await approval.getByRole('button', { name: 'Allow' }).click();

    await waitFor(async () => ((await approval.textContent()) ?? '').includes('no.txt') || null, { timeoutMs: 60_000, what: 'the second approval' });
    await approval.getByLabel('Comment for the agent (optional)').fill('not this file');
    await approval.getByRole('button', { name: 'Deny' }).click();

    await waitFor(async () => (await statusOf(id)) === 'completed', { timeoutMs: 60_000, what: 'the mission to complete' });
    const resolved = (await events(id)).filter((event) => event.type === 'approval.resolved').map((event) => event.payload);
    expect(resolved).toEqual([
      expect.objectContaining({ decision: 'allow', by: fixture!.team.email }),
      expect.objectContaining({ decision: 'deny', by: fixture!.team.email, message: 'not this file' }),
    ]);
    await page.getByTestId('pending-approval').waitFor({ state: 'detached' });
    await expectLogMatches(id);
    // The agent's last message as markdown: a table, code, and a link that opens safely.
    const link = page.locator('[data-testid="event-log"] a', { hasText: 'the policy' });
    await link.waitFor({ timeout: 15_000 });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('[data-testid="event-log"] table code', { hasText: 'yes.txt' }).count()).toBe(1);
    // Both write_file calls are files touched, from the agent's tool calls.
    await page.getByTestId('files-touched').getByText('yes.txt').waitFor({ timeout: 15_000 });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('#log-heading').evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: resolve(SCREENSHOTS, 'mission-page.png') });
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 180_000);

  test("answers the agent's question with one of its options", async () => {
    model!.script({ toolCalls: [{ name: tool('ask_human'), input: { question: 'Tabs or spaces?', options: ['tabs', 'spaces'] } }] }, { text: 'Spaces, then.' });
    const id = (await api.post('/api/v1/missions', { workspaceId, agent: 'claude-code', prompt: 'Ask me something' })).body.id as string;
    await page.goto(`${fixture!.stack.webUrl}/missions/${id}`);
    const question = page.getByTestId('pending-question');
    await question.waitFor({ timeout: 60_000 });
    await expect(question.textContent()).resolves.toContain('Tabs or spaces?');
    await question.getByRole('button', { name: 'spaces' }).click();
    await waitFor(async () => (await statusOf(id)) === 'completed', { timeoutMs: 60_000, what: 'the mission to complete' });
    const answer = (await events(id)).find((event) => event.type === 'input.provided');
    expect(answer?.payload).toMatchObject({ kind: 'answer', text: 'spaces', by: fixture!.team.email });
    await question.waitFor({ state: 'detached' });
    await expectLogMatches(id);
  }, 180_000);

  test('dispatches a model agent from the new-mission form, showing which agents cannot run and why', async () => {
    model!.script({ text: 'Hello from the form.' });
    await page.goto(`${fixture!.stack.webUrl}/`);
    // The new-mission dialog, opened anywhere with `n`.
    await page.getByTestId('signed-in-as').waitFor();
    await page.keyboard.press('n');
    await page.getByRole('dialog', { name: 'New mission' }).locator('#mission-agent').waitFor();
    // Only an Anthropic key is set: the OpenAI agents are unavailable, and the page says why.
    await waitFor(async () => ((await page.locator('#agent-availability').textContent()) ?? '').includes('Codex') || null, { timeoutMs: 20_000, what: 'agent availability' });
    await expect(page.locator('#agent-availability').textContent()).resolves.toMatch(/Codex: .*openai/i);
    await page.locator('#mission-workspace').selectOption(workspaceId);
    await page.locator('#mission-agent').selectOption('claude-code');
    await page.getByLabel('Approvals').selectOption('read-only');
    await page.getByLabel('Max cost (USD)').fill('0.5');
    await page.locator('#mission-prompt').fill('Say hello');
    await page.getByRole('button', { name: 'Dispatch mission' }).click();
    await page.waitForURL(/\/missions\//);
    const id = page.url().split('/missions/')[1]!.split(/[?#]/)[0]!;
    const mission = (await api.get(`/api/v1/missions/${id}`)).body;
    expect(mission).toMatchObject({ agent: 'claude-code', policy: 'read-only', model: 'claude-sonnet-4-5', limits: { maxCostUsd: 0.5 } });
    await waitFor(async () => (await statusOf(id)) === 'completed', { timeoutMs: 60_000, what: 'the mission to complete' });
    await page.getByText('Hello from the form.').first().waitFor();
  }, 180_000);
});
