import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName } from '@garrison/core';
import { openStackFixture, waitFor, type ApiClient, type StackFixture } from '@garrison/testkit';

/**
 * Live usage of a workspace end to end: api -> `workspace-stats` queue -> worker -> one engine
 * stats sample of the container, with the limits of the template it was made from.
 */
const execFileAsync = promisify(execFile);
const MEMORY_MB = 384;
let fixture: StackFixture | undefined;
let client: ApiClient;
let workspaceId: string;

async function waitForStatus(id: string, status: string): Promise<void> {
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${id}`)).body.status === status, { timeoutMs: 60_000, what: `workspace ${status}` });
}

beforeAll(async () => {
  fixture = await openStackFixture();
  client = fixture.client;
  const template = await client.post('/api/v1/templates', { name: `stats-${randomBytes(3).toString('hex')}`, memoryMb: MEMORY_MB, cpus: 0.5, pidsLimit: 100, networkPolicy: 'none' });
  expect(template.status).toBe(201);
  workspaceId = (await client.post('/api/v1/workspaces', { name: `stats-${randomBytes(3).toString('hex')}`, templateId: template.body.id })).body.id;
  await waitForStatus(workspaceId, 'running');
});

afterAll(async () => {
  await fixture?.close();
});

describe('GET /workspaces/:id/stats', () => {
  it("samples a running workspace's CPU, memory and processes within its limits", async () => {
    // A busy loop as the agent user: CPU shows up, capped near the template's half core.
    await execFileAsync('docker', ['exec', '-d', '-u', '1000:1000', workspaceContainerName(workspaceId), 'sh', '-c', 'while :; do :; done']);
    const stats = await waitFor(
      async () => {
        const response = await client.get(`/api/v1/workspaces/${workspaceId}/stats`);
        expect(response.status).toBe(200);
        return response.body.cpuPercent > 20 ? response.body : null;
      },
      { timeoutMs: 30_000, what: 'the busy loop to show in cpuPercent' },
    );
    expect(stats).toMatchObject({ workspaceId, memoryLimitBytes: MEMORY_MB * 1024 * 1024 });
    expect(stats.cpuPercent).toBeLessThan(80);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.memoryBytes).toBeLessThan(stats.memoryLimitBytes);
    expect(stats.pids).toBeGreaterThanOrEqual(2);
    expect(Math.abs(Date.parse(stats.at) - Date.now())).toBeLessThan(60_000);
  });

  it('lists the workspace with its template limits and network policy', async () => {
    const listed = (await client.get('/api/v1/workspaces')).body.workspaces.find((w: { id: string }) => w.id === workspaceId);
    expect(listed).toMatchObject({ status: 'running', networkPolicy: 'none', limits: { cpus: 0.5, memoryMb: MEMORY_MB, pidsLimit: 100 }, missions: { total: 0, open: 0 } });
  });

  it('answers 409 invalid_workspace_state once the workspace is stopped', async () => {
    expect((await client.post(`/api/v1/workspaces/${workspaceId}/stop`, {})).status).toBe(202);
    await waitForStatus(workspaceId, 'stopped');
    const response = await client.get(`/api/v1/workspaces/${workspaceId}/stats`);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'invalid_workspace_state', details: { status: 'stopped' } });
    expect(response.body.message).toMatch(/start it/);
  });
});
