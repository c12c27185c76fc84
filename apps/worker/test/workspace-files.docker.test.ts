import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { workspaceContainerName } from '@garrison/core';
import {
  ApiClient,
  deleteTeam,
  downloadFile,
  filesPath,
  openStackFixture,
  seedTeam,
  uploadFile,
  waitFor,
  type StackFixture,
} from '@garrison/testkit';

/**
 * The file browser API end to end: api -> `workspace-files` queue -> worker -> `runner files`
 * inside the container as uid 1000. Uploads are capped low here so the 413 case is cheap.
 */
const UPLOAD_MAX = 256 * 1024;
const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let api: ApiClient;
let url: string;
let cookie: string;
let workspaceId: string;

async function inContainer(script: string): Promise<string> {
  const { stdout } = await execFileAsync('docker', ['exec', '-u', '1000:1000', workspaceContainerName(workspaceId), 'sh', '-c', script]);
  return stdout;
}

async function waitForStatus(id: string, status: string): Promise<void> {
  await waitFor(async () => (await api.get(`/api/v1/workspaces/${id}`)).body.status === status, { timeoutMs: 60_000, what: `workspace ${status}` });
}

beforeAll(async () => {
  fixture = await openStackFixture({ env: { FILE_UPLOAD_MAX_BYTES: String(UPLOAD_MAX) } });
  api = fixture.client;
  url = fixture.stack.apiUrl;
  cookie = api.sessionCookie!;
  workspaceId = (await api.post('/api/v1/workspaces', { name: `files-${randomBytes(3).toString('hex')}` })).body.id;
  await waitForStatus(workspaceId, 'running');
  // A secret outside /workspace, and links that lead to it.
  await inContainer('echo top-secret > /tmp/secret.txt && mkdir -p /workspace/src && echo inside > /workspace/src/a.txt && ln -sfn /tmp /workspace/out-dir && ln -sfn /tmp/secret.txt /workspace/out-file && ln -sfn src /workspace/in-dir');
});

afterAll(async () => {
  await fixture?.close();
});

describe('file browser API', () => {
  it('lists a directory with name, type, size and mtime, and says where links lead', async () => {
    const listing = await api.get(filesPath(workspaceId, 'list', ''));
    expect(listing.status).toBe(200);
    expect(listing.body.path).toBe('');
    expect(listing.body.limits).toMatchObject({ uploadMaxBytes: UPLOAD_MAX, viewMaxBytes: 1024 * 1024 });
    const byName = Object.fromEntries(listing.body.entries.map((entry: { name: string }) => [entry.name, entry]));
    expect(byName.src).toMatchObject({ type: 'dir' });
    expect(Date.parse(byName.src.mtime)).toBeGreaterThan(Date.now() - 3600_000);
    expect(byName['in-dir']).toMatchObject({ type: 'symlink', target: 'dir' });
    expect(byName['out-dir']).toMatchObject({ type: 'symlink', target: 'outside' });
    const src = await api.get(filesPath(workspaceId, 'list', 'src'));
    expect(src.body.entries).toEqual([expect.objectContaining({ name: 'a.txt', type: 'file', size: 7 })]);
  });

  it('uploads (creating parent directories), views and downloads a file, byte for byte, as uid 1000', async () => {
    const bytes = randomBytes(100_000);
    const uploaded = await uploadFile(url, cookie, workspaceId, 'deep/new/blob.bin', bytes);
    expect(uploaded).toEqual({ status: 201, body: { path: 'deep/new/blob.bin', size: 100_000 } });
    expect((await inContainer('stat -c %u:%s /workspace/deep/new/blob.bin')).trim()).toBe('1000:100000');

    const download = await downloadFile(url, cookie, workspaceId, 'deep/new/blob.bin');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment; filename="blob.bin"');
    expect(download.bytes.equals(bytes)).toBe(true);

    const binaryView = await api.get(filesPath(workspaceId, 'content', 'deep/new/blob.bin'));
    expect(binaryView.body).toMatchObject({ path: 'deep/new/blob.bin', size: 100_000, encoding: 'base64', truncated: false });
    expect(Buffer.from(binaryView.body.content, 'base64').equals(bytes)).toBe(true);

    await uploadFile(url, cookie, workspaceId, 'notes/hello.md', '# Hello\nwörld\n');
    const textView = await api.get(filesPath(workspaceId, 'content', 'notes/hello.md'));
    expect(textView.body).toEqual({ path: 'notes/hello.md', size: 15, encoding: 'utf8', content: '# Hello\nwörld\n', truncated: false });
    // Replacing a file keeps one file with the new content.
    await uploadFile(url, cookie, workspaceId, 'notes/hello.md', 'v2');
    expect((await api.get(filesPath(workspaceId, 'content', 'notes/hello.md'))).body.content).toBe('v2');
    expect(await inContainer('ls -A /workspace/notes')).toBe('hello.md\n');
  });

  it('views only the first MB of a large text file and says it was cut', async () => {
    await inContainer('head -c 1500000 /dev/zero | tr "\\0" "a" > /workspace/big.txt');
    const view = await api.get(filesPath(workspaceId, 'content', 'big.txt'));
    expect(view.body).toMatchObject({ size: 1_500_000, truncated: true, encoding: 'utf8' });
    expect(view.body.content.length).toBe(1024 * 1024);
  });

  it('refuses an upload over the limit with 413 and writes nothing', async () => {
    const response = await uploadFile(url, cookie, workspaceId, 'too-big.bin', randomBytes(UPLOAD_MAX + 1));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
    expect(response.body.message).toMatch(/limited to/);
    expect(await inContainer('ls -A /workspace')).not.toMatch(/too-big/);
  });

  it.each([
    ['..', '../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
    ['a symlink out (file)', 'out-file'],
    ['a symlink out (directory)', 'out-dir/secret.txt'],
    ['.. after a link inside', 'in-dir/../../tmp/secret.txt'],
  ])('refuses %s on every route with path_outside_workspace', async (_what, path) => {
    for (const route of ['list', 'content', 'download'] as const) {
      const response = await api.get(filesPath(workspaceId, route, path));
      expect(response.status, `${route} ${path}`).toBe(400);
      expect(response.body.code).toBe('path_outside_workspace');
      expect(JSON.stringify(response.body)).not.toContain('top-secret');
    }
    const upload = await uploadFile(url, cookie, workspaceId, path, 'overwritten');
    expect(upload.status).toBe(400);
    expect(upload.body.code).toBe('path_outside_workspace');
    expect(await inContainer('cat /tmp/secret.txt')).toBe('top-secret\n');
  });

  it('allows an absolute path that stays inside /workspace', async () => {
    const view = await api.get(filesPath(workspaceId, 'content', '/workspace/src/a.txt'));
    expect(view.body).toMatchObject({ path: 'src/a.txt', content: 'inside\n' });
  });

  it('answers missing files, directories and files-as-directories with their own codes', async () => {
    expect((await api.get(filesPath(workspaceId, 'content', 'nope.txt'))).body.code).toBe('file_not_found');
    expect((await api.get(filesPath(workspaceId, 'content', 'nope.txt'))).status).toBe(404);
    expect((await api.get(filesPath(workspaceId, 'content', 'src'))).body.code).toBe('is_a_directory');
    expect((await api.get(filesPath(workspaceId, 'list', 'src/a.txt'))).body.code).toBe('not_a_directory');
    expect((await uploadFile(url, cookie, workspaceId, 'src', 'x')).body.code).toBe('is_a_directory');
    expect((await uploadFile(url, cookie, workspaceId, 'src/a.txt/child', 'x')).body.code).toBe('not_a_directory');
  });

  it('records uploads in the audit log', async () => {
    await uploadFile(url, cookie, workspaceId, 'audited.txt', 'x');
    const rows = await fixture!.db.prisma.auditLog.findMany({ where: { targetId: workspaceId, action: 'file.upload' } });
    expect(rows.some((row) => row.outcome === 'ok' && (row.metadata as { path?: string }).path === 'audited.txt')).toBe(true);
    // An upload refused for its path is recorded as denied, with the reason.
    expect(rows.some((row) => row.outcome === 'denied' && (row.metadata as { code?: string }).code === 'path_outside_workspace')).toBe(true);
  });

  it("answers 404 for another team's workspace", async () => {
    const strangerTeam = await seedTeam(fixture!.db);
    onTestFinished(() => deleteTeam(fixture!.db, strangerTeam));
    const stranger = new ApiClient(url);
    await stranger.login(strangerTeam.email, strangerTeam.password);
    for (const route of ['list', 'content', 'download'] as const) {
      const response = await stranger.get(filesPath(workspaceId, route, 'src/a.txt'));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('workspace_not_found');
    }
    expect((await uploadFile(url, stranger.sessionCookie!, workspaceId, 'x.txt', 'x')).status).toBe(404);
  });

  it('lists fast enough to browse', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      const started = performance.now();
      expect((await api.get(filesPath(workspaceId, 'list', ''))).status).toBe(200);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.info(JSON.stringify({ fileListMedianMs: Math.round(median), fileListMaxMs: Math.round(samples.at(-1)!) }));
    expect(median).toBeLessThan(1000);
  });

  it('answers 409 while the workspace is stopped, and nothing is started', async () => {
    const other = (await api.post('/api/v1/workspaces', { name: `stopped-${randomBytes(3).toString('hex')}` })).body.id;
    await waitForStatus(other, 'running');
    await api.post(`/api/v1/workspaces/${other}/stop`);
    await waitForStatus(other, 'stopped');
    for (const route of ['list', 'content', 'download'] as const) {
      const response = await api.get(filesPath(other, route, 'a.txt'));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('invalid_workspace_state');
      expect(response.body.message).toMatch(/start it/);
    }
    expect((await uploadFile(url, cookie, other, 'a.txt', 'x')).status).toBe(409);
    expect((await api.get(`/api/v1/workspaces/${other}`)).body.status).toBe('stopped');
  });
});
