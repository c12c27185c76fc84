import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { TERMINAL_STATUSES, type MissionEvent } from '@garrison/core';
import type { Db } from '@garrison/db';
import { MissionWatcher, waitFor, type ApiClient, type RunningStack } from '@garrison/testkit';

const execFileAsync = promisify(execFile);

/** A shell mission printing `tick 1`..`tick N`, one every 0.1 s: long enough to break things under. */
export function tickingPrompt(ticks: number): string {
  return `for i in $(seq 1 ${ticks}); do echo "tick $i"; sleep 0.1; done`;
}

export function ticks(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `tick ${i + 1}`);
}

export function watchMission(stack: RunningStack, client: ApiClient, missionId: string): MissionWatcher {
  return new MissionWatcher(stack.apiUrl, { cookie: client.sessionCookie! }, missionId, 0);
}

/** Everything Postgres holds for the mission, through the API, paged (a flood does not fit one page). */
export async function storedEvents(client: ApiClient, missionId: string, pageSize = 5000): Promise<MissionEvent[]> {
  const events: MissionEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await client.get(`/api/v1/missions/${missionId}/events?afterSeq=${after}&limit=${pageSize}`)).body as { events: MissionEvent[] };
    events.push(...page.events);
    if (page.events.length < pageSize) return events;
    after = events.at(-1)!.seq;
  }
}

export async function waitForStatus(db: Db, missionId: string, status: string, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } });
      return row.status === status ? row : null;
    },
    { timeoutMs, intervalMs: 100, what: `mission ${status}` },
  );
}

export async function waitForEnd(db: Db, missionId: string, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: missionId } });
      return (TERMINAL_STATUSES as readonly string[]).includes(row.status) ? row : null;
    },
    { timeoutMs, intervalMs: 100, what: `mission ${missionId} to end` },
  );
}

/** Dense seq from 1 and exactly one terminal `mission.status` event, naming the row's status. */
export function expectDenseWithOneEnding(stored: MissionEvent[], status: string): void {
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, index) => index + 1));
  const endings = stored.filter((e) => e.type === 'mission.status' && (TERMINAL_STATUSES as readonly string[]).includes(String(e.payload.status)));
  expect(endings.map((e) => e.payload.status)).toEqual([status]);
}

/** The socket client ends up holding exactly what Postgres holds: nothing missing, nothing doubled. */
export async function expectClientEqualsStored(watcher: MissionWatcher, stored: MissionEvent[], timeoutMs = 30_000): Promise<void> {
  await waitFor(() => watcher.events.length >= stored.length, { timeoutMs, what: 'the client to hold everything' });
  expect(watcher.events.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
  expect(watcher.events).toEqual(stored);
}

/**
 * Dense seq, every tick once and in order, one result, one terminal status, completed with a
 * reason, and the socket client equals Postgres.
 */
export async function expectExact(client: ApiClient, missionId: string, watcher: MissionWatcher, tickCount: number): Promise<MissionEvent[]> {
  const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
  expect(mission).toMatchObject({ status: 'completed', statusReason: 'exit_code:0' });
  const stored = await storedEvents(client, missionId);
  expectDenseWithOneEnding(stored, 'completed');
  expect(stored.filter((e) => e.type === 'process.output').map((e) => e.payload.text)).toEqual(ticks(tickCount));
  expect(stored.filter((e) => e.type === 'mission.result')).toHaveLength(1);
  await expectClientEqualsStored(watcher, stored);
  return stored;
}

/** No fault may leave a second container behind: one per workspace the team made, nothing else. */
export async function expectOneContainerPerWorkspace(teamId: string, workspaceIds: string[]): Promise<void> {
  const { stdout } = await execFileAsync('docker', [
    'ps', '-a', '--filter', `label=dev.garrison.team-id=${teamId}`, '--format', '{{.Label "dev.garrison.workspace-id"}}',
  ]);
  expect(stdout.split('\n').filter(Boolean).sort()).toEqual([...workspaceIds].sort());
}

export async function apiAnswers(apiUrl: string): Promise<boolean> {
  return (await fetch(`${apiUrl}/api/v1/health`).catch(() => null))?.ok ?? false;
}
