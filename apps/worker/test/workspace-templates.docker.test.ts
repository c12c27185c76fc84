import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName } from '@garrison/core';
import { WorkspaceWatcher, openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture } from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let stack: RunningStack;
let client: ApiClient;

beforeAll(async () => {
  fixture = await openStackFixture({ env: { IDLE_AFTER_MS: '3000', RECONCILE_INTERVAL_MS: '1000' } });
  ({ stack, client } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function waitForStatus(workspaceId: string, statuses: string[]) {
  return waitFor(
    async () => {
      const workspace = (await client.get(`/api/v1/workspaces/${workspaceId}`)).body;
      return statuses.includes(workspace.status) ? workspace : null;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `workspace to be ${statuses.join(' or ')}` },
  );
}

async function missionOutput(workspaceId: string, prompt: string): Promise<{ status: string; statusReason: string; lines: string[] }> {
  const id = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
  const mission = await waitFor(
    async () => {
      const m = (await client.get(`/api/v1/missions/${id}`)).body;
      return ['completed', 'failed', 'canceled', 'interrupted'].includes(m.status) ? m : null;
    },
    { timeoutMs: 60_000, what: 'mission end' },
  );
  const events = (await client.get(`/api/v1/missions/${id}/events?limit=5000`)).body.events;
  return { status: mission.status, statusReason: mission.statusReason, lines: events.filter((e: { type: string }) => e.type === 'process.output').map((e: { payload: { text: string } }) => e.payload.text) };
}

describe('workspace templates', () => {
  it('lists the shared default template', async () => {
    const templates = (await client.get('/api/v1/templates')).body.templates;
    expect(templates.find((t: { name: string }) => t.name === 'default')).toMatchObject({ shared: true, networkPolicy: 'none' });
    // Model agents need the gateway: the shared `agents` template lets exactly that through.
    expect(templates.find((t: { name: string }) => t.name === 'agents')).toMatchObject({ shared: true, networkPolicy: 'model_only' });
  });

  it('runs the init script once at first start, streams and keeps its log, and gives agents the template env', async () => {
    const template = (
      await client.post('/api/v1/templates', {
        name: 'with-init',
        initScript: 'echo "preparing $GREETING"; echo init-ran >> /workspace/init-count; echo to-stderr >&2',
        env: { GREETING: 'hello-from-template' },
        memoryMb: 512,
        pidsLimit: 200,
      })
    ).body;
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'init', templateId: template.id })).body.id;
    const watcher = new WorkspaceWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, workspaceId);
    const output: string[] = [];
    watcher.socket.on('workspace:init-output', (event: { text: string }) => output.push(event.text));
    await watcher.join();

    await waitForStatus(workspaceId, ['running']);
    const initLog = (await client.get(`/api/v1/workspaces/${workspaceId}/init-log`)).body;
    expect(initLog).toMatchObject({ completed: true });
    expect(initLog.log).toContain('preparing hello-from-template');
    expect(initLog.log).toContain('to-stderr');

    const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(workspaceId)]);
    const info = JSON.parse(stdout)[0];
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(200);

    const mission = await missionOutput(workspaceId, 'echo "$GREETING"; cat /workspace/init-count');
    expect(mission.lines).toEqual(['hello-from-template', 'init-ran']);

    await client.post(`/api/v1/workspaces/${workspaceId}/rebuild`);
    await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running' && watcher.statuses.filter((s) => s.operation === 'rebuild').length > 0, { what: 'rebuilt' });
    expect((await missionOutput(workspaceId, 'cat /workspace/init-count')).lines).toEqual(['init-ran']);
    await waitFor(() => output.join('').includes('preparing hello-from-template'), { what: 'init output on the socket' });
    watcher.close();
  });

  it('leaves a workspace whose init fails in error with the log, and refuses missions honestly', async () => {
    const template = (await client.post('/api/v1/templates', { name: 'broken-init', initScript: 'echo about to fail; exit 3' })).body;
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'broken', templateId: template.id })).body.id;
    const workspace = await waitForStatus(workspaceId, ['error']);
    expect(workspace.statusMessage).toMatch(/init script exited with code 3; see the init log/);
    expect((await client.get(`/api/v1/workspaces/${workspaceId}/init-log`)).body).toMatchObject({ completed: false, log: 'about to fail\n' });
    const mission = await missionOutput(workspaceId, 'echo should not run');
    expect(mission).toMatchObject({ status: 'failed', statusReason: 'workspace_init_failed', lines: [] });
  });

  it('refuses an unknown network policy and an unknown template', async () => {
    const refused = await client.post('/api/v1/templates', { name: 'online', networkPolicy: 'everywhere' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid_input');
    const unknown = await client.post('/api/v1/workspaces', { name: 'x', templateId: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('template_not_found');
  });

  it('stops a workspace left idle, and a mission starts it again', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'idle' })).body.id;
    await waitForStatus(workspaceId, ['running']);
    const stopped = await waitForStatus(workspaceId, ['stopped']);
    expect(stopped.statusMessage).toMatch(/without missions/);
    expect((await missionOutput(workspaceId, 'echo back')).lines).toEqual(['back']);
    expect((await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status).toBe('running');
  });
});
