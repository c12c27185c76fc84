import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName, type MissionEvent } from '@garrison/core';
import { ApiClient, openStackFixture, timeDockerExec, waitFor, type RunningStack, type StackFixture } from '@garrison/testkit';

/**
 * The walls hold: a fork bomb stops at the pids limit while the host keeps answering, and a
 * memory hog is OOM-killed inside its container, reported as such, and the workspace lives on.
 */
const MEMORY_MB = 256;
const PIDS_LIMIT = 128;
const TERMINAL = ['completed', 'failed', 'canceled', 'blocked', 'interrupted'];

const execFileAsync = promisify(execFile);
let stack: RunningStack;
let client: ApiClient;
let fixture: StackFixture | undefined;
let templateId: string;

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ stack, client } = fixture);
  // Limits come from the workspace's template.
  const template = await client.post('/api/v1/templates', { name: 'tight', memoryMb: MEMORY_MB, pidsLimit: PIDS_LIMIT });
  expect(template.status).toBe(201);
  templateId = template.body.id;
});

afterAll(async () => {
  await fixture?.close();
});

async function createWorkspace(name: string): Promise<string> {
  return (await client.post('/api/v1/workspaces', { name, templateId })).body.id as string;
}

async function startMission(workspaceId: string, prompt: string): Promise<string> {
  const created = await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function waitForEnd(missionId: string) {
  return waitFor(
    async () => {
      const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
      return TERMINAL.includes(mission.status) ? mission : null;
    },
    { timeoutMs: 90_000, intervalMs: 100, what: `mission ${missionId} to end` },
  );
}

async function allEvents(missionId: string): Promise<MissionEvent[]> {
  const events: MissionEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await client.get(`/api/v1/missions/${missionId}/events?afterSeq=${after}&limit=5000`)).body;
    events.push(...page.events);
    if (page.events.length < 5000) return events;
    after = page.nextAfterSeq;
  }
}

/** Dense seq from 1, one result and one terminal status: the mission ended exactly once. */
async function expectEndedOnce(missionId: string): Promise<MissionEvent[]> {
  const events = await allEvents(missionId);
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  expect(events.filter((event) => event.type === 'mission.result')).toHaveLength(1);
  expect(events.filter((event) => event.type === 'mission.status' && TERMINAL.includes(event.payload.status as string))).toHaveLength(1);
  return events;
}

async function runToEnd(workspaceId: string, prompt: string) {
  return waitForEnd(await startMission(workspaceId, prompt));
}

async function inspectContainer(workspaceId: string) {
  const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(workspaceId)]);
  return JSON.parse(stdout)[0];
}

/** The container's pids cgroup as the host sees it (cgroup v1 or v2, cgroupfs or systemd driver). */
async function pidsCgroupDir(workspaceId: string): Promise<string> {
  const id = (await inspectContainer(workspaceId)).Id as string;
  const candidates = [
    `/sys/fs/cgroup/pids/docker/${id}`,
    `/sys/fs/cgroup/pids/system.slice/docker-${id}.scope`,
    `/sys/fs/cgroup/docker/${id}`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope`,
  ];
  const found = candidates.find((dir) => existsSync(`${dir}/pids.current`));
  if (!found) throw new Error(`no pids cgroup for container ${id} among ${candidates.join(', ')}`);
  return found;
}

/** How often fork() was refused at the limit (`max N` in pids.events). */
function pidsLimitHits(dir: string): number {
  return Number(/^max (\d+)$/m.exec(readFileSync(`${dir}/pids.events`, 'utf8'))?.[1] ?? 0);
}

/** Repeats `probe` until stopped; waitFor is the poller, its timeout only a failure bound. */
function repeatUntil(stopped: () => boolean, probe: () => Promise<void> | void, intervalMs: number): Promise<void> {
  return waitFor(
    async () => {
      await probe();
      return stopped();
    },
    { timeoutMs: 120_000, intervalMs, what: 'probe loop to stop' },
  ).then(() => undefined);
}

const round = (values: number[]) => values.map(Math.round);
const maxOf = (values: number[]) => Math.max(...values);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('workspace limits', () => {
  it('stops a fork bomb at the pids limit while the host and a neighbour keep answering', async () => {
    const bombWorkspace = await createWorkspace('fork-bomb');
    const neighbour = await createWorkspace('neighbour');
    // Both containers exist before the bomb, so the probes measure the bomb and not a cold start.
    expect((await runToEnd(bombWorkspace, 'echo ready')).status).toBe('completed');
    expect((await runToEnd(neighbour, 'echo ready')).status).toBe('completed');
    const cgroup = await pidsCgroupDir(bombWorkspace);
    expect(readFileSync(`${cgroup}/pids.max`, 'utf8').trim()).toBe(String(PIDS_LIMIT));
    const hitsBefore = pidsLimitHits(cgroup);

    // `timeout` puts the bomb in a process group of its own and SIGKILLs all of it after 10 s.
    const prompt = `echo bombing; timeout -s KILL 10 bash -c 'bomb() { while :; do bomb & done; }; bomb'; echo "bomb over: $?"`;
    const missionId = await startMission(bombWorkspace, prompt);
    let ended = false;
    const pids: number[] = [];
    const health: number[] = [];
    const neighbourExec: number[] = [];
    const probes = Promise.all([
      repeatUntil(() => ended, () => void pids.push(Number(readFileSync(`${cgroup}/pids.current`, 'utf8'))), 10),
      repeatUntil(
        () => ended,
        async () => {
          const started = performance.now();
          const response = await fetch(`${stack.apiUrl}/api/v1/health`);
          await response.arrayBuffer();
          health.push(performance.now() - started);
        },
        20,
      ),
      repeatUntil(
        () => ended,
        async () => void neighbourExec.push(await timeDockerExec(workspaceContainerName(neighbour), ['true'])),
        20,
      ),
    ]);
    const mission = await waitForEnd(missionId).finally(() => (ended = true));
    await probes;
    const hits = pidsLimitHits(cgroup) - hitsBefore;
    const events = await expectEndedOnce(missionId);

    console.log(
      JSON.stringify({
        status: `${mission.status} (${mission.statusReason})`,
        fork_bomb_mission_ms: Date.parse(mission.endedAt) - Date.parse(mission.startedAt),
        events: events.length,
        last_stdout: events.filter((e) => e.payload.stream === 'stdout').at(-1)?.payload.text,
        pids_peak: maxOf(pids),
        pids_limit_hits: hits,
        health_ms: { n: health.length, p50: Math.round(median(health)), max: Math.round(maxOf(health)) },
        neighbour_exec_ms: { n: neighbourExec.length, p50: Math.round(median(neighbourExec)), max: Math.round(maxOf(neighbourExec)) },
        neighbour_exec_slowest: round([...neighbourExec].sort((a, b) => b - a).slice(0, 5)),
      }),
    );

    expect(['completed', 'failed']).toContain(mission.status);
    const stderr = events.filter((e) => e.type === 'process.output' && e.payload.stream === 'stderr').map((e) => e.payload.text as string);
    expect(stderr.some((line) => /fork: (retry: )?Resource temporarily unavailable/.test(line))).toBe(true);

    // The kernel refused forks at the limit, and never let the container past it.
    expect(hits).toBeGreaterThan(0);
    expect(maxOf(pids)).toBeLessThanOrEqual(PIDS_LIMIT);
    expect(maxOf(pids)).toBeGreaterThan(PIDS_LIMIT * 0.9);
    // Meanwhile the host answered: the API (Postgres + Redis behind it) and a neighbour's exec.
    expect(health.length).toBeGreaterThan(50);
    expect(maxOf(health)).toBeLessThan(1000);
    expect(neighbourExec.length).toBeGreaterThan(5);
    expect(maxOf(neighbourExec)).toBeLessThan(1000);

    // Nothing of the bomb outlives its mission, and the workspace takes the next one.
    await waitFor(() => Number(readFileSync(`${cgroup}/pids.current`, 'utf8')) < 30, { what: 'the bomb to be gone' });
    expect((await inspectContainer(bombWorkspace)).State.Running).toBe(true);
    const next = await startMission(bombWorkspace, 'echo still here');
    expect(await waitForEnd(next)).toMatchObject({ status: 'completed' });
    expect((await expectEndedOnce(next)).some((e) => e.payload.text === 'still here')).toBe(true);
  });

  it('fails a memory hog with reason oom while its container lives on for the next mission', async () => {
    const workspaceId = await createWorkspace('memory-hog');
    // $PPID of the agent's shell is the supervisor: the kernel must pick the agent, never it.
    const prompt = `echo "oom_score_adj agent=$(cat /proc/self/oom_score_adj) supervisor=$(cat /proc/$PPID/oom_score_adj)"; echo hogging; node -e 'const held = []; for (;;) held.push(Buffer.alloc(16 << 20, 1))'`;
    const missionId = await startMission(workspaceId, prompt);
    const mission = await waitForEnd(missionId);
    expect(mission).toMatchObject({ status: 'failed', statusReason: 'oom' });

    const events = await expectEndedOnce(missionId);
    const result = events.find((e) => e.type === 'mission.result')!;
    expect(result.payload).toMatchObject({ outcome: 'exited', oomKilled: true });
    expect(events.some((e) => e.payload.text === 'oom_score_adj agent=1000 supervisor=0')).toBe(true);
    const hogging = events.find((e) => e.type === 'process.output' && e.payload.text === 'hogging')!;
    console.log(
      JSON.stringify({
        time_to_oom_ms: Date.parse(result.ts) - Date.parse(hogging.ts),
        result: result.payload,
        exit_code: mission.exitCode,
      }),
    );

    // The kernel killed a process, not the container: Docker has nothing to say about it.
    const state = (await inspectContainer(workspaceId)).State;
    expect(state).toMatchObject({ Running: true, OOMKilled: false });
    const next = await startMission(workspaceId, 'echo still here');
    expect(await waitForEnd(next)).toMatchObject({ status: 'completed', statusReason: 'exit_code:0' });
    const nextEvents = await expectEndedOnce(next);
    expect(nextEvents.some((e) => e.payload.text === 'still here')).toBe(true);
    expect(nextEvents.find((e) => e.type === 'mission.result')!.payload).not.toHaveProperty('oomKilled');
  });
});
