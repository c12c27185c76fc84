import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, hostQueueName } from '@garrison/core';
import { TEST_REDIS_URL, csrfHeaders, filesPath, type ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/**
 * Paths that leave the workspace are refused by the API itself, before any request reaches a
 * worker (nothing queued means nothing read or written). The runner confines paths again inside
 * the container, symlinks included (apps/runner tests); this is the first wall. Also: a JSON body
 * over the limit is refused with 413 and changes nothing.
 */
const HOST = `paths-host-${Math.random().toString(36).slice(2, 8)}`;
let fx: ApiFixture;
let filesQueue: Queue;
let client: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  fx = await startApiFixture({ WORKSPACE_RPC_CLAIM_TIMEOUT_MS: '300' });
  filesQueue = new Queue(hostQueueName(QueueName.WorkspaceFiles, HOST), { connection: { url: TEST_REDIS_URL }, prefix: fx.redisPrefix });
  ({ client } = await fx.signedIn());
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'paths' })).body.id;
  await fx.api.db.prisma.workspace.update({
    where: { id: workspaceId },
    data: { status: 'running', workerHost: { connectOrCreate: { where: { id: HOST }, create: { id: HOST, hostname: HOST } } } },
  });
});

afterAll(async () => {
  await fx?.api.db.prisma.workspace.deleteMany({ where: { id: workspaceId } });
  await fx?.api.db.prisma.workerHost.deleteMany({ where: { id: HOST } });
  await filesQueue?.obliterate({ force: true }).catch(() => {});
  await filesQueue?.close();
  await fx?.close();
});

async function queuedFileJobs(): Promise<number> {
  const counts = await filesQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** A request with the query string exactly as given (no re-encoding), so `%2e%2e` arrives as sent. */
async function sendRaw(method: 'GET' | 'PUT', route: 'files' | 'files/content' | 'files/download', rawQuery: string) {
  const headers: Record<string, string> = method === 'PUT' ? { ...(await csrfHeaders(fx.api.url, client.sessionCookie)), 'content-type': 'application/octet-stream' } : { cookie: client.sessionCookie! };
  const response = await fetch(`${fx.api.url}/api/v1/workspaces/${workspaceId}/${route}?path=${rawQuery}`, { method, headers, body: method === 'PUT' ? 'pwned' : undefined });
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

describe('file paths outside the workspace', () => {
  const escapes: [name: string, rawQuery: string, code: string][] = [
    ['a parent climb', encodeURIComponent('../../etc/passwd'), 'path_outside_workspace'],
    ['a climb after a real directory', encodeURIComponent('src/../../root/.ssh/id_rsa'), 'path_outside_workspace'],
    ['an absolute path elsewhere', encodeURIComponent('/etc/shadow'), 'path_outside_workspace'],
    ['an absolute path that only starts like the workspace', encodeURIComponent('/workspace-other/x'), 'path_outside_workspace'],
    ['a percent-encoded climb', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'path_outside_workspace'],
    ['an upper-case encoded climb', '%2E%2E/%2E%2E/etc/passwd', 'path_outside_workspace'],
    ['a NUL byte', 'notes.txt%00.png', 'invalid_input'],
    ['a NUL byte after a climb', '..%00/etc/passwd', 'invalid_input'],
  ];

  it.each(escapes)('refuses %s on every file route, queueing nothing', async (_name, rawQuery, code) => {
    const before = await queuedFileJobs();
    for (const route of ['files', 'files/content', 'files/download'] as const) {
      const response = await sendRaw('GET', route, rawQuery);
      expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.code).toBe(code);
      expect(response.body.message.length).toBeGreaterThan(10);
    }
    const upload = await sendRaw('PUT', 'files/content', rawQuery);
    expect(upload.status, JSON.stringify(upload.body)).toBe(400);
    expect(upload.body.code).toBe(code);
    expect(await queuedFileJobs()).toBe(before);
  });

  it('says where paths must be, and still lets paths inside the workspace through to the worker', async () => {
    const refused = await client.get(filesPath(workspaceId, 'content', '../secret'));
    expect(refused.body.message).toMatch(/outside the workspace.*\/workspace/);
    // Inside (relative, absolute, or climbing back in): passed on, here to no worker (503, withdrawn).
    for (const inside of ['src/../README.md', '/workspace/README.md', 'a/b/../../c.txt']) {
      const response = await client.get(filesPath(workspaceId, 'content', inside));
      expect(response.status, inside).toBe(503);
      expect(response.body.code).toBe('service_unavailable');
    }
  });
});

describe('oversize JSON', () => {
  it('answers 413 payload_too_large and creates nothing', async () => {
    const name = `huge-${Date.now()}`;
    const response = await client.post('/api/v1/workspaces', { name, padding: 'x'.repeat(1024 * 1024 + 16) });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/too large/) });
    expect(await fx.api.db.prisma.workspace.count({ where: { name } })).toBe(0);
  });
});
