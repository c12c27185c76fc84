import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@garrison/db';
import { openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture } from '@garrison/testkit';
import {
  apiAnswers,
  expectClientEqualsStored,
  expectDenseWithOneEnding,
  expectOneContainerPerWorkspace,
  storedEvents,
  tickingPrompt,
  ticks,
  waitForEnd,
  watchMission,
} from './fault-kit.ts';
import { ensureDocker0, startDockerd, stopDockerd } from './service-control.ts';

let fixture: StackFixture | undefined;
let stack: RunningStack;
let client: ApiClient;
let db: Db;

beforeAll(async () => {
  // A short reconcile interval, so the reconciler's view of the engine's restart is seen in time.
  fixture = await openStackFixture({ env: { RECONCILE_INTERVAL_MS: '2000' } });
  ({ stack, client, db } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

const log = (figures: Record<string, unknown>): void => console.log(JSON.stringify(figures));

describe('the Docker engine restarted under a running mission', () => {
  it('ends the mission once as interrupted, the worker rides it out, and the workspace runs the next mission', async () => {
    const workspaceId = (await client.post('/api/v1/workspaces', { name: 'engine-restart' })).body.id as string;
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: tickingPrompt(900) })).body.id as string;
    const watcher = watchMission(stack, client, missionId);
    await waitFor(() => watcher.has((e) => e.payload.text === 'tick 10'), { timeoutMs: 60_000, what: 'tick 10' });
    const processes = { api: stack.api.pid, worker: stack.worker.pid };

    const stoppingAt = Date.now();
    let stoppedAt = 0;
    let upAt = 0;
    let docker0Recreated = false;
    try {
      await stopDockerd();
      stoppedAt = Date.now();
      // An engine that stays away for a while is the scenario (a host's engine takes seconds to
      // come back): whoever asks it about the container meanwhile must wait for an answer.
      await sleep(5000);
      await startDockerd();
    } finally {
      // Never leave the engine down, nor the default bridge missing, whatever happened above.
      await startDockerd();
      upAt = Date.now();
      docker0Recreated = await ensureDocker0();
    }

    // The engine stopped the container with SIGTERM on its way down (no live-restore here): the
    // container exited 143, which the worker reads once the engine answers again.
    const ended = await waitForEnd(db, missionId, 60_000);
    expect(ended).toMatchObject({ status: 'interrupted', statusReason: 'server_shutdown' });
    const stored = await storedEvents(client, missionId);
    expectDenseWithOneEnding(stored, 'interrupted');
    const printed = stored.filter((e) => e.type === 'process.output').map((e) => e.payload.text);
    expect(printed.length).toBeGreaterThanOrEqual(10);
    expect(printed).toEqual(ticks(printed.length));
    await expectClientEqualsStored(watcher, stored);
    watcher.close();

    const stopped = await waitFor(
      async () => {
        const row = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
        return row.status === 'stopped' ? row : null;
      },
      { timeoutMs: 30_000, what: 'the reconciler to mark the workspace stopped' },
    );
    const healthyAt = await waitFor(async () => (await apiAnswers(stack.apiUrl)) && Date.now(), { timeoutMs: 30_000, what: 'the api to report a working engine' });
    expect({ api: stack.api.pid, worker: stack.worker.pid }).toEqual(processes);
    expect(stack.worker.running).toBe(true);

    const posted = Date.now();
    const nextId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo after the engine restart' })).body.id as string;
    const next = watchMission(stack, client, nextId);
    expect(await waitForEnd(db, nextId, 60_000)).toMatchObject({ status: 'completed', statusReason: 'exit_code:0' });
    const nextEvents = await storedEvents(client, nextId);
    expectDenseWithOneEnding(nextEvents, 'completed');
    expect(nextEvents.filter((e) => e.type === 'process.output').map((e) => e.payload.text)).toEqual(['after the engine restart']);
    await expectClientEqualsStored(next, nextEvents);
    next.close();
    await expectOneContainerPerWorkspace(fixture!.team.teamId, [workspaceId]);
    log({
      dockerd_stop_ms: stoppedAt - stoppingAt,
      dockerd_start_ms: upAt - stoppedAt,
      mission_ended_after_stop_began_ms: (ended.endedAt?.getTime() ?? 0) - stoppingAt,
      workspace_status_message: stopped.statusMessage,
      healthy_after_up_ms: healthyAt - upAt,
      next_mission_ms: Date.now() - posted,
      docker0_recreated: docker0Recreated,
      worker_waits_for_engine: stack.worker.logs().split('the Docker engine does not answer').length - 1,
    });
  });
});
