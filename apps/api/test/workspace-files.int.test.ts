import { Queue } from 'bullmq';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, hostQueueName, type TerminalOpenAck } from '@garrison/core';
import { TEST_REDIS_URL, filesPath, uploadFile, type ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/**
 * The file browser and terminal as the API alone decides them (no worker runs here): who may,
 * in which workspace state, with which input; and that nothing reaches a queue when refused.
 */
const UPLOAD_MAX = 1024;
let fx: ApiFixture;
let filesQueue: Queue;
beforeAll(async () => {
  fx = await startApiFixture({ FILE_UPLOAD_MAX_BYTES: String(UPLOAD_MAX), WORKSPACE_RPC_CLAIM_TIMEOUT_MS: '300' });
  filesQueue = new Queue(hostQueueName(QueueName.WorkspaceFiles, 'host-a'), { connection: { url: TEST_REDIS_URL }, prefix: fx.redisPrefix });
});
afterAll(async () => {
  await filesQueue?.obliterate({ force: true }).catch(() => {});
  await filesQueue?.close();
  await fx?.close();
});

async function workspaceIn(client: ApiClient, status: 'running' | 'stopped' | 'paused') {
  const id = (await client.post('/api/v1/workspaces', { name: `ws-${status}-${Math.random().toString(36).slice(2, 7)}` })).body.id as string;
  await fx.api.db.prisma.workspace.update({ where: { id }, data: { status } });
  return id;
}

/** As if the worker of `host-a` ran it; no such worker runs in these tests. */
async function pinToHostA(id: string): Promise<void> {
  await fx.api.db.prisma.workspace.update({ where: { id }, data: { workerHost: { connectOrCreate: { where: { id: 'host-a' }, create: { id: 'host-a', hostname: 'host-a' } } } } });
}

async function queuedFileJobs(): Promise<number> {
  const counts = await filesQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

describe('file browser API without a worker', () => {
  it("answers 404 for another team's workspace on every route", async () => {
    const { client: owner } = await fx.signedIn();
    const { client: stranger } = await fx.signedIn();
    const id = await workspaceIn(owner, 'running');
    for (const route of ['list', 'content', 'download'] as const) {
      const response = await stranger.get(filesPath(id, route, 'a.txt'));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('workspace_not_found');
    }
    expect((await uploadFile(fx.api.url, stranger.sessionCookie!, id, 'a.txt', 'x')).status).toBe(404);
  });

  it.each(['stopped', 'paused'] as const)('answers 409 while the workspace is %s, saying what to do', async (status) => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, status);
    for (const route of ['list', 'content', 'download'] as const) {
      const response = await client.get(filesPath(id, route, 'a.txt'));
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'invalid_workspace_state', details: { status } });
      expect(response.body.message).toMatch(status === 'paused' ? /resume it/ : /start it/);
    }
    expect((await uploadFile(fx.api.url, client.sessionCookie!, id, 'a.txt', 'x')).status).toBe(409);
  });

  it('refuses an upload over the limit with 413 before anything is queued', async () => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, 'running');
    await pinToHostA(id);
    const before = await queuedFileJobs();
    const response = await uploadFile(fx.api.url, client.sessionCookie!, id, 'big.bin', new Uint8Array(UPLOAD_MAX + 1));
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'payload_too_large', details: { limitBytes: UPLOAD_MAX } });
    expect(await queuedFileJobs()).toBe(before);
  });

  it('refuses bad paths as invalid input', async () => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, 'running');
    expect((await client.get(filesPath(id, 'content', ''))).body.code).toBe('invalid_input');
    expect((await client.get(filesPath(id, 'list', 'a\0b'))).body.code).toBe('invalid_input');
    expect((await client.get(filesPath(id, 'download', 'x'.repeat(5000)))).body.code).toBe('invalid_input');
  });

  it('answers 503 when no worker of the workspace host takes the request, and withdraws it', async () => {
    const { client } = await fx.signedIn();
    const id = await workspaceIn(client, 'running');
    await pinToHostA(id);
    const response = await client.get(filesPath(id, 'list', ''));
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'service_unavailable' });
    expect(response.body.message).toContain('host-a');
    expect(await queuedFileJobs()).toBe(0);
  });
});

describe('terminal:open without a worker', () => {
  function openOver(cookie: string, request: unknown): Promise<TerminalOpenAck> {
    const socket = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } });
    return socket.emitWithAck('terminal:open', request).finally(() => socket.close());
  }

  it("refuses another team's workspace, a stopped one, and bad input", async () => {
    const { client: owner } = await fx.signedIn();
    const { client: stranger } = await fx.signedIn();
    const running = await workspaceIn(owner, 'running');
    const stopped = await workspaceIn(owner, 'stopped');
    expect(await openOver(stranger.sessionCookie!, { workspaceId: running, cols: 80, rows: 24 })).toMatchObject({ ok: false, code: 'workspace_not_found' });
    const refused = await openOver(owner.sessionCookie!, { workspaceId: stopped, cols: 80, rows: 24 });
    expect(refused).toMatchObject({ ok: false, code: 'invalid_workspace_state' });
    expect(await openOver(owner.sessionCookie!, { workspaceId: running, cols: 0, rows: 24 })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await openOver(owner.sessionCookie!, { workspaceId: running, sessionId: '../../x', cols: 80, rows: 24 })).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});
