import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { workspaceContainerName, workspaceVolumeName } from '@garrison/core';
import type { Db } from '@garrison/db';
import {
  ApiClient,
  WorkspaceWatcher,
  deleteTeam,
  openStackFixture,
  seedTeam,
  waitFor,
  type RunningStack,
  type StackFixture,
} from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let stack: RunningStack;
let client: ApiClient;
let db: Db;

beforeAll(async () => {
  fixture = await openStackFixture({ env: { RECONCILE_INTERVAL_MS: '1000' } });
  ({ stack, client, db } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function inspect(workspaceId: string): Promise<{ Id: string; State: { Running: boolean; Paused: boolean } } | null> {
  try {
    const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(workspaceId)]);
    return JSON.parse(stdout)[0];
  } catch {
    return null;
  }
}

async function volumeExists(workspaceId: string): Promise<boolean> {
  return execFileAsync('docker', ['volume', 'inspect', workspaceVolumeName(workspaceId)]).then(() => true, () => false);
}

async function waitForStatus(workspaceId: string, status: string) {
  return waitFor(
    async () => {
      const workspace = (await client.get(`/api/v1/workspaces/${workspaceId}`)).body;
      return workspace.status === status ? workspace : null;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `workspace ${workspaceId} to be ${status}` },
  );
}

async function runMission(workspaceId: string, prompt: string) {
  const id = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
  return waitFor(
    async () => {
      const mission = (await client.get(`/api/v1/missions/${id}`)).body;
      return ['completed', 'failed', 'canceled', 'interrupted', 'blocked'].includes(mission.status) ? mission : null;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'mission to end' },
  );
}

async function output(missionId: string): Promise<string[]> {
  const events = (await client.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events;
  return events.filter((e: { type: string }) => e.type === 'process.output').map((e: { payload: { text: string } }) => e.payload.text);
}

describe('workspace lifecycle through the API', () => {
  it('goes creating -> running -> stopped -> running -> paused -> running -> rebuilt -> destroyed, keeping files until destroyed', async () => {
    const created = await client.post('/api/v1/workspaces', { name: 'life' });
    expect(created.body.status).toBe('creating');
    const workspaceId = created.body.id as string;
    const watcher = new WorkspaceWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, workspaceId);
    expect((await watcher.join()).ok).toBe(true);

    await waitForStatus(workspaceId, 'running');
    expect((await inspect(workspaceId))?.State.Running).toBe(true);
    expect((await runMission(workspaceId, 'echo kept > notes.txt')).status).toBe('completed');

    expect((await client.post(`/api/v1/workspaces/${workspaceId}/stop`)).status).toBe(202);
    await waitForStatus(workspaceId, 'stopped');
    expect((await inspect(workspaceId))?.State.Running).toBe(false);

    await client.post(`/api/v1/workspaces/${workspaceId}/start`);
    await waitForStatus(workspaceId, 'running');

    await client.post(`/api/v1/workspaces/${workspaceId}/pause`);
    await waitForStatus(workspaceId, 'paused');
    expect((await inspect(workspaceId))?.State.Paused).toBe(true);
    await client.post(`/api/v1/workspaces/${workspaceId}/resume`);
    await waitForStatus(workspaceId, 'running');
    expect((await inspect(workspaceId))?.State.Paused).toBe(false);

    const before = (await inspect(workspaceId))!.Id;
    await client.post(`/api/v1/workspaces/${workspaceId}/rebuild`);
    await waitFor(async () => (await inspect(workspaceId))?.Id !== before && (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', {
      timeoutMs: 60_000,
      what: 'a rebuilt container',
    });
    const after = await runMission(workspaceId, 'cat notes.txt');
    expect(await output(after.id)).toEqual(['kept']);

    const destroy = await client.request('DELETE', `/api/v1/workspaces/${workspaceId}`, { confirmName: 'life' });
    expect(destroy.status).toBe(202);
    await waitFor(async () => (await db.prisma.workspace.findUnique({ where: { id: workspaceId } }))?.status === 'destroyed', { what: 'destroyed' });
    expect(await inspect(workspaceId)).toBeNull();
    expect(await volumeExists(workspaceId)).toBe(false);
    expect((await client.get(`/api/v1/workspaces/${workspaceId}`)).status).toBe(404);
    expect((await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'true' })).status).toBe(404);

    await waitFor(() => watcher.statuses.some((s) => s.status === 'destroyed'), { what: 'destroyed on the socket' });
    expect(watcher.statuses.map((s) => s.status)).toEqual(['running', 'stopped', 'running', 'paused', 'running', 'running', 'destroyed']);
    expect(watcher.statuses.map((s) => s.operation)).toEqual(['provision', 'stop', 'start', 'pause', 'resume', 'rebuild', 'destroy']);
    watcher.close();
  });

  it('refuses to join the status room of another team\'s workspace', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'mine' })).body.id;
    const strangerTeam = await seedTeam(db);
    onTestFinished(() => deleteTeam(db, strangerTeam));
    const stranger = new ApiClient(stack.apiUrl);
    await stranger.login(strangerTeam.email, strangerTeam.password);
    const watcher = new WorkspaceWatcher(stack.apiUrl, { cookie: stranger.sessionCookie! }, workspaceId);
    expect(await watcher.join()).toMatchObject({ ok: false, code: 'workspace_not_found' });
    watcher.close();
  });
});

describe('reconciler', () => {
  it('marks a workspace whose container vanished behind our back, and recreates it on start with its files', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'vanish' })).body.id;
    await waitForStatus(workspaceId, 'running');
    await runMission(workspaceId, 'echo survives > file.txt');
    await execFileAsync('docker', ['rm', '-f', workspaceContainerName(workspaceId)]);
    await waitForStatus(workspaceId, 'stopped');
    // A reconcile pass between the kill and the removal first sees an exited container; the
    // next one, with the container gone, must say it vanished.
    await waitFor(async () => /vanished/.test((await client.get(`/api/v1/workspaces/${workspaceId}`)).body.statusMessage ?? ''), {
      timeoutMs: 30_000,
      what: 'the status message to say the container vanished',
    });
    await client.post(`/api/v1/workspaces/${workspaceId}/start`);
    await waitForStatus(workspaceId, 'running');
    const mission = await runMission(workspaceId, 'cat file.txt');
    expect(await output(mission.id)).toEqual(['survives']);
  });

  it('removes an orphan container whose row is gone, with its volume', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'orphan' })).body.id;
    await waitForStatus(workspaceId, 'running');
    await db.prisma.workspace.delete({ where: { id: workspaceId } });
    await waitFor(async () => (await inspect(workspaceId)) === null, { timeoutMs: 30_000, what: 'orphan removed' });
    expect(await volumeExists(workspaceId)).toBe(false);
  });

  it('catches up after a worker restart: a container stopped while no worker ran is reported', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'restart' })).body.id;
    await waitForStatus(workspaceId, 'running');
    await stack.worker.stop('SIGKILL');
    await execFileAsync('docker', ['stop', '-t', '0', workspaceContainerName(workspaceId)]);
    stack.worker.start();
    const stopped = await waitForStatus(workspaceId, 'stopped');
    expect(stopped.statusMessage).toMatch(/exited/);
  });
});
