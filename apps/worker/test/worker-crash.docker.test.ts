import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { createDb, type Db } from '@garrison/db';
import {
  ApiClient,
  MissionWatcher,
  TEST_DATABASE_URL,
  removeTeamWorkspaces,
  seedTeam,
  startStack,
  waitFor,
  type RunningStack,
  type TestTeam,
} from '@garrison/testkit';

let stack: RunningStack;
let db: Db;
let team: TestTeam;
let client: ApiClient;

beforeAll(async () => {
  db = createDb(TEST_DATABASE_URL);
  team = await seedTeam(db);
  stack = await startStack();
  client = new ApiClient(stack.apiUrl);
  await client.login(team.email, team.password);
});

afterAll(async () => {
  await stack?.stop();
  if (team) await removeTeamWorkspaces(team.teamId);
  await db?.close();
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
});
