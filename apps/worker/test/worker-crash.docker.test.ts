import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName, type MissionEvent } from '@garrison/core';
import type { Db } from '@garrison/db';
import {
  ApiClient,
  MissionWatcher,
  openStackFixture,
  waitFor,
  type RunningStack,
  type StackFixture,
} from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let stack: RunningStack;
let db: Db;
let client: ApiClient;
let fixture: StackFixture | undefined;

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ stack, db, client } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('worker killed mid-mission', () => {
  it('the mission keeps running in its container and a new worker follows it to the end from the last seq', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'crash' })).body.id;
    const prompt = 'for i in $(seq 1 60); do echo "tick $i"; sleep 0.1; done';
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id as string;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'tick 10'), { timeoutMs: 60_000, what: 'tick 10' });

    await stack.worker.stop('SIGKILL');
    const seqAtKill = (await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } })).lastSeq;
    // With no worker, nothing reaches Postgres while the agent keeps printing in its container.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } })).lastSeq).toBe(seqAtKill);
    stack.worker.start();

    const mission = await waitFor(
      async () => {
        const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } });
        return row.status === 'completed' ? row : null;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'mission to complete after the restart' },
    );
    expect(mission.statusReason).toBe('exit_code:0');

    const stored = (await client.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events as MissionEvent[];
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, index) => index + 1));
    const ticks = stored.filter((e) => e.type === 'process.output').map((e) => e.payload.text);
    expect(ticks).toEqual(Array.from({ length: 60 }, (_, index) => `tick ${index + 1}`));
    expect(stored.filter((e) => e.type === 'mission.result')).toHaveLength(1);
    expect(stored.filter((e) => e.type === 'mission.status').map((e) => e.payload.status)).toEqual([
      'queued',
      'provisioning',
      'running',
      'completed',
    ]);

    await waitFor(() => watcher.events.length === stored.length, { what: 'socket client to catch up' });
    expect(watcher.events).toEqual(stored);
    watcher.close();
  });

  it('never quietly restarts an agent whose runner state vanished while no worker watched', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'wiped' })).body.id;
    const prompt = 'echo once >> /workspace/runs.log; echo started; sleep 300';
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id as string;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'started'), { timeoutMs: 60_000, what: 'mission to start' });

    await stack.worker.stop('SIGKILL');
    const container = workspaceContainerName(workspaceId);
    await execFileAsync('docker', ['exec', container, 'sh', '-c', `pkill -f 'runner[.]cjs'; pkill -f 'sleep [3]00'; rm -rf /workspace/.garrison/missions/${missionId}; true`]);
    stack.worker.start();

    const mission = await waitFor(
      async () => {
        const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } });
        return row.status === 'running' ? null : row;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'mission to end after the restart' },
    );
    expect(mission).toMatchObject({ status: 'interrupted', statusReason: 'runner_state_lost' });
    const runs = await execFileAsync('docker', ['exec', container, 'cat', '/workspace/runs.log']);
    expect(runs.stdout).toBe('once\n');
    watcher.close();
  });
});
