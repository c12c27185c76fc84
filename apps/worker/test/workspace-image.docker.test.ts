import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { workspaceContainerName } from '@garrison/core';
import { ApiClient, deleteTeam, openStackFixture, seedTeam, waitFor, type StackFixture } from '@garrison/testkit';

const execFileAsync = promisify(execFile);
const TAG = `garrison/workspace:build-test-${randomBytes(3).toString('hex')}`;
let fixture: StackFixture | undefined;

beforeAll(async () => {
  // An image this engine does not have: the worker must build it itself.
  fixture = await openStackFixture({ env: { GARRISON_WORKSPACE_IMAGE: TAG } });
});

afterAll(async () => {
  await fixture?.close();
  await execFileAsync('docker', ['rmi', TAG]).catch(() => {});
});

describe('workspace image', () => {
  it('is built by the worker when missing, then used for workspaces', async () => {
    const { client } = fixture!;
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'fresh-image' })).body.id;
    await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 300_000, what: 'workspace on the built image' });
    const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(workspaceId), '--format', '{{.Config.Image}}']);
    expect(stdout.trim()).toBe(TAG);
  });

  it('is rebuilt on request, with progress on the images room; members may not ask', async () => {
    const { client, stack, db } = fixture!;
    const socket = io(stack.apiUrl, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.sessionCookie! } });
    const progress: { state: string; line?: string; message?: string }[] = [];
    socket.on('image:progress', (event: { image: string; state: string; line?: string; message?: string }) => {
      if (event.image === TAG) progress.push(event);
    });
    expect(await socket.emitWithAck('images:subscribe', {})).toEqual({ ok: true });

    const response = await client.post('/api/v1/images/workspace/rebuild', {});
    expect(response.status).toBe(202);
    await waitFor(() => progress.some((event) => event.state === 'built'), { timeoutMs: 300_000, what: 'rebuild to finish' });
    expect(progress[0]).toMatchObject({ state: 'building', message: expect.stringContaining('requested') });
    expect(progress.some((event) => event.line?.startsWith('Step '))).toBe(true);
    socket.close();

    const member = await seedTeam(db, 'member');
    onTestFinished(() => deleteTeam(db, member));
    const memberClient = new ApiClient(stack.apiUrl);
    await memberClient.login(member.email, member.password);
    const refused = await memberClient.post('/api/v1/images/workspace/rebuild', {});
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
  });
});
