import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissionStatus, RunnerEvent } from '@garrison/core';
import { createQueuedMission, insertEventBatch } from '@garrison/db';
import type { ApiClient, TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/** Attempts, files touched and retry through the API alone (no worker); missions are written straight to Postgres. */
let fx: ApiFixture;
let client: ApiClient;
let team: TestTeam;
let workspaceId: string;

beforeAll(async () => {
  fx = await startApiFixture();
  ({ client, team } = await fx.signedIn());
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'history' })).body.id;
});
afterAll(async () => {
  await fx?.close();
});

const ts = () => new Date().toISOString();
const status = (seq: number, to: MissionStatus, previous: MissionStatus, reason: string | null = null): RunnerEvent => ({ seq, ts: ts(), type: 'mission.status', payload: { status: to, previous, reason } });

async function missionIn(to: MissionStatus, extra: { agent?: string; prompt?: string; model?: string; policy?: { mode: string }; limits?: Record<string, number>; priority?: number } = {}): Promise<string> {
  const { mission } = await createQueuedMission(fx.api.db, { teamId: team.teamId, workspaceId, authorId: null, agent: extra.agent ?? 'shell', prompt: extra.prompt ?? 'exit 3', ...extra });
  await fx.api.db.prisma.mission.update({ where: { id: mission.id }, data: { status: to, statusReason: to === 'failed' ? 'exit_code:3' : null } });
  return mission.id;
}

describe('GET /missions/:id/attempts', () => {
  it('lists each attempt with how it began and ended: a failed start, then a resume still running', async () => {
    const id = await missionIn('running', { agent: 'claude-code' });
    await insertEventBatch(fx.api.db, id, [status(2, 'provisioning', 'queued'), status(3, 'running', 'provisioning')]);
    await fx.api.db.prisma.missionAttempt.create({ data: { missionId: id, number: 1, endedAt: new Date(), exitCode: 1, reason: 'exit_code:1' } });
    await insertEventBatch(fx.api.db, id, [
      { seq: 4, ts: ts(), type: 'process.output', payload: { stream: 'stdout', text: 'x' } },
      status(5, 'failed', 'running', 'exit_code:1'),
      status(6, 'queued', 'failed', 'resume'),
      status(7, 'provisioning', 'queued'),
      status(8, 'running', 'provisioning'),
      status(9, 'waiting_input', 'running'),
      status(10, 'running', 'waiting_input'),
    ]);
    await fx.api.db.prisma.missionAttempt.create({ data: { missionId: id, number: 2 } });

    const response = await client.get(`/api/v1/missions/${id}/attempts`);
    expect(response.status).toBe(200);
    expect(response.body.attempts).toEqual([
      expect.objectContaining({ number: 1, kind: 'start', status: 'failed', reason: 'exit_code:1', exitCode: 1, endedAt: expect.any(String) }),
      expect.objectContaining({ number: 2, kind: 'resume', status: 'running', exitCode: null, endedAt: null }),
    ]);
  });

  it('is empty for a mission that never started, and 404 for another team', async () => {
    const id = await missionIn('queued');
    expect((await client.get(`/api/v1/missions/${id}/attempts`)).body).toEqual({ attempts: [] });
    const { client: other } = await fx.signedIn();
    const response = await other.get(`/api/v1/missions/${id}/attempts`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('mission_not_found');
  });
});

describe('GET /missions/:id/files', () => {
  const call = (seq: number, callId: string, name: string, input: unknown): RunnerEvent => ({ seq, ts: ts(), type: 'tool.call', payload: { callId, name, input } });
  const result = (seq: number, callId: string, isError = false): RunnerEvent => ({ seq, ts: ts(), type: 'tool.result', payload: { callId, output: 'ok', isError } });

  it("aggregates the agent's file-editing tool calls across CLIs by path, and pages them", async () => {
    const id = await missionIn('completed', { agent: 'claude-code' });
    await insertEventBatch(fx.api.db, id, [
      call(2, 'a', 'mcp__garrison__write_file', { path: 'src/app.ts', content: 'x' }),
      result(3, 'a'),
      call(4, 'b', 'mcp__garrison__edit_file', { path: 'src/app.ts', old: 'x', new: 'y' }),
      result(5, 'b', true),
      call(6, 'c', 'Write', { file_path: '/home/u/README.md', content: '#' }),
      call(7, 'd', 'mcp__garrison__read_file', { path: 'src/other.ts' }),
      call(8, 'e', 'apply_patch', { changes: [{ path: 'lib/new.ts', kind: 'add' }, { path: 'lib/old.ts', kind: 'delete' }] }),
      call(9, 'f', 'edit', { filePath: 'src/app.ts' }),
      call(10, 'g', 'Edit', {}),
      result(11, 'c'),
    ]);

    const all = (await client.get(`/api/v1/missions/${id}/files`)).body;
    expect(all).toEqual({
      source: 'tool_calls',
      total: 4,
      nextAfter: null,
      files: [
        { path: '/home/u/README.md', operation: 'write', count: 1, failed: 0, lastSeq: 6 },
        { path: 'lib/new.ts', operation: 'write', count: 1, failed: 0, lastSeq: 8 },
        { path: 'lib/old.ts', operation: 'delete', count: 1, failed: 0, lastSeq: 8 },
        { path: 'src/app.ts', operation: 'edit', count: 3, failed: 1, lastSeq: 9 },
      ],
    });

    const first = (await client.get(`/api/v1/missions/${id}/files?limit=3`)).body;
    expect(first.files.map((file: { path: string }) => file.path)).toEqual(['/home/u/README.md', 'lib/new.ts', 'lib/old.ts']);
    expect(first.nextAfter).toBe('lib/old.ts');
    const second = (await client.get(`/api/v1/missions/${id}/files?limit=3&after=${encodeURIComponent(first.nextAfter)}`)).body;
    expect(second).toMatchObject({ total: 4, nextAfter: null, files: [expect.objectContaining({ path: 'src/app.ts' })] });
  });

  it('refuses a page size it will not serve, and answers 404 for another team', async () => {
    const id = await missionIn('completed');
    const bad = await client.get(`/api/v1/missions/${id}/files?limit=100000`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_input');
    const { client: other } = await fx.signedIn();
    expect((await other.get(`/api/v1/missions/${id}/files`)).status).toBe(404);
  });
});

describe('POST /missions/:id/retry', () => {
  it('starts a new mission with the same settings, authored by the caller, linked both ways, through the normal dispatch', async () => {
    const id = await missionIn('failed', { prompt: 'exit 3', policy: { mode: 'ask' }, limits: { maxRuntimeS: 60 }, priority: 4 });
    const response = await client.post(`/api/v1/missions/${id}/retry`, {});
    expect(response.status).toBe(201);
    const retry = response.body;
    expect(retry).toMatchObject({ workspaceId, agent: 'shell', prompt: 'exit 3', policy: 'ask', limits: { maxRuntimeS: 60 }, priority: 4, status: 'queued', retryOfId: id, authorId: team.userId });
    expect(retry.id).not.toBe(id);
    // Dispatched as POST /missions dispatches: its first job is queued.
    expect(await fx.missionsQueue.getJob(retry.id)).toBeDefined();
    const original = (await client.get(`/api/v1/missions/${id}`)).body;
    expect(original).toMatchObject({ status: 'failed', retryOfId: null, retries: [{ id: retry.id, status: 'queued', createdAt: expect.any(String) }] });
    expect((await client.get(`/api/v1/missions/${retry.id}`)).body).toMatchObject({ retryOfId: id, retries: [] });
  });

  it('retries a completed mission too (run it again)', async () => {
    const id = await missionIn('completed');
    expect((await client.post(`/api/v1/missions/${id}/retry`, {})).status).toBe(201);
  });

  it('refuses a mission that is still active, and another team\'s mission, creating nothing', async () => {
    const id = await missionIn('running');
    const active = await client.post(`/api/v1/missions/${id}/retry`, {});
    expect(active.status).toBe(409);
    expect(active.body.code).toBe('mission_not_finished');
    expect(active.body.message).toMatch(/still running/);
    const ended = await missionIn('failed');
    const { client: other } = await fx.signedIn();
    expect((await other.post(`/api/v1/missions/${ended}/retry`, {})).status).toBe(404);
    expect(await fx.api.db.prisma.mission.count({ where: { retryOfId: { in: [id, ended] } } })).toBe(0);
  });
});
