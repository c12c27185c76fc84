import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { TERMINAL_STATUSES, workspaceContainerName, type MissionEvent } from '@garrison/core';
import { waitFor, type ApiClient } from '@garrison/testkit';

const execFileAsync = promisify(execFile);

/**
 * How the model names a workspace MCP tool when it calls it, per CLI: Claude Code prefixes,
 * Codex offers the server as a namespace (Responses API), OpenCode and pi prefix with `_`.
 */
export const MCP_TOOL_CALLS: Record<'claude-code' | 'codex' | 'opencode' | 'pi', (tool: string) => { name: string; namespace?: string }> = {
  'claude-code': (tool) => ({ name: `mcp__garrison__${tool}` }),
  codex: (tool) => ({ name: tool, namespace: 'mcp__garrison' }),
  opencode: (tool) => ({ name: `garrison_${tool}` }),
  pi: (tool) => ({ name: `garrison_${tool}` }),
};

export interface FinishedMission {
  id: string;
  status: string;
  statusReason: string | null;
  events: MissionEvent[];
  postedAt: number;
}

export async function dispatch(client: ApiClient, body: Record<string, unknown>): Promise<{ id: string; postedAt: number }> {
  const postedAt = Date.now();
  const response = await client.post('/api/v1/missions', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id as string, postedAt };
}

export async function missionEvents(client: ApiClient, missionId: string): Promise<MissionEvent[]> {
  const events: MissionEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await client.get(`/api/v1/missions/${missionId}/events?afterSeq=${after}&limit=5000`)).body as { events: MissionEvent[]; headSeq: number };
    events.push(...page.events);
    if (page.events.length === 0 || events.at(-1)!.seq >= page.headSeq) return events;
    after = events.at(-1)!.seq;
  }
}

export async function waitForStatus(client: ApiClient, missionId: string, statuses: readonly string[], timeoutMs = 120_000): Promise<{ status: string; statusReason: string | null }> {
  return waitFor(
    async () => {
      const mission = (await client.get(`/api/v1/missions/${missionId}`)).body as { status: string; statusReason: string | null };
      return statuses.includes(mission.status) ? mission : null;
    },
    { timeoutMs, intervalMs: 100, what: `mission ${missionId} to reach ${statuses.join('|')}` },
  );
}

export async function waitForEnd(client: ApiClient, missionId: string, postedAt: number, timeoutMs = 120_000): Promise<FinishedMission> {
  const mission = await waitForStatus(client, missionId, TERMINAL_STATUSES, timeoutMs);
  return { id: missionId, ...mission, events: await missionEvents(client, missionId), postedAt };
}

/** Event types in order, with the tool name for tool calls; for failure messages and order checks. */
export function timeline(events: MissionEvent[]): string[] {
  return events.map((event) => (event.type === 'tool.call' ? `tool.call:${String(event.payload.name)}` : event.type));
}

export function indexOf(events: MissionEvent[], predicate: (event: MissionEvent) => boolean): number {
  return events.findIndex(predicate);
}

/** Milliseconds from the POST to the first agent.message the agent produced. */
export function timeToFirstMessage(mission: FinishedMission): number | null {
  const first = mission.events.find((event) => event.type === 'agent.message');
  return first ? Date.parse(first.ts) - mission.postedAt : null;
}

export async function execInWorkspace(workspaceId: string, script: string): Promise<string> {
  const { stdout } = await execFileAsync('docker', ['exec', '--user', '1000', workspaceContainerName(workspaceId), 'sh', '-c', script], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function execInWorkspaceAsRoot(workspaceId: string, script: string): Promise<string> {
  const { stdout } = await execFileAsync('docker', ['exec', '--user', '0', workspaceContainerName(workspaceId), 'sh', '-c', script], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
