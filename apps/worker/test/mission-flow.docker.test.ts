import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName, type MissionEvent } from '@garrison/core';
import {
  ApiClient,
  MissionWatcher,
  REPO_ROOT,
  openStackFixture,
  timeDockerExec,
  waitFor,
  type RunningStack,
  type StackFixture,
  type TestTeam,
} from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let stack: RunningStack;
let team: TestTeam;
let client: ApiClient;
let fixture: StackFixture | undefined;
let workspaceId: string;

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ stack, team, client } = fixture);
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'flow' })).body.id;
});

afterAll(async () => {
  await fixture?.close();
});

async function allEvents(missionId: string): Promise<MissionEvent[]> {
  const events: MissionEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await client.get(`/api/v1/missions/${missionId}/events?afterSeq=${after}&limit=5000`)).body;
    events.push(...page.events);
    if (page.events.length < 5000) return events;
    after = page.nextAfterSeq;
  }
}

async function waitForEnd(missionId: string) {
  return waitFor(
    async () => {
      const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
      return ['completed', 'failed', 'canceled', 'blocked', 'interrupted'].includes(mission.status) ? mission : null;
    },
    { timeoutMs: 90_000, intervalMs: 100, what: `mission ${missionId} to end` },
  );
}

function expectDense(events: MissionEvent[]): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
}

describe('a shell mission through the real workspace image', () => {
  it('runs from POST to mission.result, and every socket client sees exactly what Postgres holds', async () => {
    const prompt = 'for i in $(seq 1 200); do echo "line $i"; if [ $((i % 20)) -eq 0 ]; then sleep 0.1; fi; done; echo oops >&2; id -u';
    const created = await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt });
    expect(created.status).toBe(201);
    const missionId = created.body.id as string;
    const early = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => early.events.length >= 30, { timeoutMs: 60_000, what: 'first 30 events' });
    const halfwaySeq = early.events[early.events.length - 1]!.seq;
    const late = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, halfwaySeq);

    const mission = await waitForEnd(missionId);
    expect(mission).toMatchObject({ status: 'completed', statusReason: 'exit_code:0', exitCode: 0 });

    const stored = await allEvents(missionId);
    expectDense(stored);
    await waitFor(() => early.events.length === stored.length && late.events.length === stored.length - halfwaySeq, {
      what: 'sockets to catch up',
    });
    expect(early.events).toEqual(stored);
    expect(late.events).toEqual(stored.slice(halfwaySeq));

    const statuses = stored.filter((e) => e.type === 'mission.status').map((e) => e.payload.status);
    expect(statuses).toEqual(['queued', 'provisioning', 'running', 'completed']);
    const output = stored.filter((e) => e.type === 'process.output');
    expect(output.filter((e) => e.payload.stream === 'stdout').map((e) => e.payload.text)).toEqual([
      ...Array.from({ length: 200 }, (_, index) => `line ${index + 1}`),
      '1000',
    ]);
    expect(output.find((e) => e.payload.stream === 'stderr')?.payload.text).toBe('oops');
    expect(stored.find((e) => e.type === 'mission.result')?.payload).toMatchObject({ outcome: 'exited', exitCode: 0 });
    early.close();
    late.close();
  });

  it('keeps a 10 MB line and invalid UTF-8 intact, cut into marked pieces', async () => {
    const prompt = "head -c 10485760 /dev/zero | tr '\\0' x; echo; printf 'ok\\377\\n'; echo after";
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
    expect((await waitForEnd(missionId)).status).toBe('completed');
    const output = (await allEvents(missionId)).filter((e) => e.type === 'process.output');
    const pieces = output.slice(0, output.findIndex((e) => !e.payload.partial) + 1);
    expect(pieces.length).toBeGreaterThan(100);
    expect(pieces.map((e) => e.payload.text as string).join('')).toBe('x'.repeat(10 * 1024 * 1024));
    const rest = output.slice(pieces.length);
    expect(rest.map((e) => e.payload)).toEqual([
      { stream: 'stdout', text: 'ok\ufffd', invalidUtf8: true },
      { stream: 'stdout', text: 'after' },
    ]);
  });

  it('ends what a mission started outside its process group, and does not wait on it', async () => {
    const prompt = 'setsid sleep 301 & timeout 300 sleep 302 & echo started';
    const started = performance.now();
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
    expect((await waitForEnd(missionId)).status).toBe('completed');
    expect(performance.now() - started).toBeLessThan(1900);
    const { stdout } = await execFileAsync('docker', ['exec', workspaceContainerName(workspaceId), 'ps', '-eo', 'args']);
    expect(stdout).not.toMatch(/sleep 30[12]/);
  });

  it('carries the four agent CLIs at the versions the Dockerfile pins, runnable by the agent user', async () => {
    const dockerfile = readFileSync(resolve(REPO_ROOT, 'docker/workspace.Dockerfile'), 'utf8');
    const pinned = (name: string) => dockerfile.match(new RegExp(`${name.replace('/', '\\/')}@([\\d.]+)`))?.[1];
    const prompt = 'claude --version; codex --version; opencode --version; pi --version';
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
    expect((await waitForEnd(missionId)).status).toBe('completed');
    const lines = (await allEvents(missionId)).filter((e) => e.type === 'process.output').map((e) => e.payload.text as string);
    expect(lines).toEqual([
      `${pinned('@anthropic-ai/claude-code')} (Claude Code)`,
      `codex-cli ${pinned('@openai/codex')}`,
      pinned('opencode-ai'),
      pinned('@mariozechner/pi-coding-agent'),
    ]);
  });

  it('reports a failing command as failed with its exit code', async () => {
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo bye; exit 7' })).body.id;
    expect(await waitForEnd(missionId)).toMatchObject({ status: 'failed', statusReason: 'exit_code:7', exitCode: 7 });
  });

  it('cancels a running mission through the runner, killing its whole process group', async () => {
    const prompt = 'trap "" TERM; echo started; sleep 300 & sleep 300; echo never';
    const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'started'), { timeoutMs: 60_000, what: 'mission to start' });
    const cancel = await client.post(`/api/v1/missions/${missionId}/cancel`);
    expect(cancel.status).toBe(202);
    const mission = await waitForEnd(missionId);
    expect(mission).toMatchObject({ status: 'canceled', statusReason: `canceled_by:${team.email}` });
    const stored = await allEvents(missionId);
    expectDense(stored);
    expect(stored.some((e) => e.payload.text === 'never')).toBe(false);
    watcher.close();
  });

  it('ends a mission whose container is killed as interrupted (container_lost), once', async () => {
    const lostWorkspace = (await client.post('/api/v1/workspaces', { name: 'doomed' })).body.id as string;
    const prompt = 'echo up; sleep 300';
    const missionId = (await client.post('/api/v1/missions', { workspaceId: lostWorkspace, agent: 'shell', prompt })).body.id;
    const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.has((e) => e.payload.text === 'up'), { timeoutMs: 60_000, what: 'mission to start' });
    await execFileAsync('docker', ['kill', workspaceContainerName(lostWorkspace)]);
    expect(await waitForEnd(missionId)).toMatchObject({ status: 'interrupted', statusReason: 'container_lost' });
    const stored = await allEvents(missionId);
    expectDense(stored);
    expect(stored.filter((e) => e.type === 'mission.status' && ['interrupted', 'completed', 'failed'].includes(e.payload.status as string))).toHaveLength(1);
    watcher.close();
  });

  it('runs the workspace behind its walls: uid 1000, no capabilities, limits, no network, no Docker socket', async () => {
    const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(workspaceId)]);
    const [info] = JSON.parse(stdout);
    expect(info.Config.User).toBe('1000:1000');
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.PidsLimit).toBeGreaterThan(0);
    expect(info.HostConfig.Memory).toBeGreaterThan(0);
    expect(info.HostConfig.NanoCpus).toBeGreaterThan(0);
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
    expect(info.Mounts.map((mount: { Destination: string; Type: string }) => `${mount.Type}:${mount.Destination}`)).toEqual(['volume:/workspace']);
    expect(info.Config.Labels).toMatchObject({ 'dev.garrison.managed': 'true', 'dev.garrison.workspace-id': workspaceId, 'dev.garrison.team-id': team.teamId });
  });

  it('measures warm dispatch: POST to first process.output at a socket client, next to raw docker exec', async () => {
    const samples: number[] = [];
    const floors: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      const missionId = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt: 'echo hi' })).body.id;
      const watcher = new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
      await waitFor(() => watcher.has((e) => e.type === 'process.output'), { intervalMs: 2, what: 'first output' });
      samples.push(performance.now() - started);
      watcher.close();
      await waitForEnd(missionId);
      floors.push(await timeDockerExec(workspaceContainerName(workspaceId), ['sh', '-lc', 'echo hi']));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(JSON.stringify({ dispatch_warm_ms_p50: Math.round(median(samples)), docker_exec_ms_p50: Math.round(median(floors)), samples: samples.map(Math.round), floors: floors.map(Math.round) }));
    expect(samples).toHaveLength(5);
  });
});
