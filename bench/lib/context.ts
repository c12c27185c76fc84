import type { ApiClient, StackFixture } from '@garrison/testkit';
import type { Db } from '@garrison/db';
import { wallNow, within } from './clock.ts';
import type { WorkspaceLimits } from './docker.ts';
import type { EventStream, MissionTracker } from './event-stream.ts';

/** What every measurement gets: the running stack, its signed-in team and a socket client. */
export interface BenchContext {
  fixture: StackFixture;
  client: ApiClient;
  db: Db;
  apiUrl: string;
  cookie: string;
  teamId: string;
  limits: WorkspaceLimits;
  stream: EventStream;
  progress(message: string): void;
}

let workspaceCount = 0;

export async function createWorkspace(ctx: BenchContext, label: string): Promise<string> {
  workspaceCount += 1;
  const response = await ctx.client.post('/api/v1/workspaces', { name: `bench-${label}-${workspaceCount}` });
  if (response.status !== 201) throw new Error(`bench: creating a workspace answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function postMission(ctx: BenchContext, workspaceId: string, prompt: string): Promise<string> {
  const response = await ctx.client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt });
  if (response.status !== 201) throw new Error(`bench: dispatching a mission answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export interface TimedMission {
  missionId: string;
  /** Wall-clock ms just before the POST. */
  postedAt: number;
  /** POST -> first `process.output` at the socket client. */
  firstOutputMs: number;
  tracker: MissionTracker;
}

/**
 * POST a shell mission and time it to its first output at the socket client, then wait for its
 * terminal status so the next sample starts on an idle stack. The subscription is made after
 * the POST answers; the API replays anything stored before it, so nothing is missed.
 */
export async function timeMission(ctx: BenchContext, workspaceId: string, prompt: string, timeoutMs = 60_000): Promise<TimedMission> {
  const postedAt = wallNow();
  const missionId = await postMission(ctx, workspaceId, prompt);
  const tracker = await ctx.stream.track(missionId);
  const firstOutputAt = await within(tracker.firstOutput(), timeoutMs, `first output of mission ${missionId}`);
  await within(tracker.ended(), timeoutMs, `mission ${missionId} to end`);
  ctx.stream.untrack(missionId);
  if (tracker.endStatus !== 'completed') throw new Error(`bench: mission ${missionId} ended ${tracker.endStatus}, not completed`);
  return { missionId, postedAt, firstOutputMs: firstOutputAt - postedAt, tracker };
}

/** Asks for a lifecycle operation (`POST /api/v1/workspaces/:id/<operation>`). */
export async function requestWorkspaceOperation(ctx: BenchContext, workspaceId: string, operation: 'start' | 'stop'): Promise<void> {
  const response = await ctx.client.post(`/api/v1/workspaces/${workspaceId}/${operation}`);
  if (response.status !== 202) throw new Error(`bench: workspace ${operation} answered ${response.status}: ${JSON.stringify(response.body)}`);
}

/** Stops a workspace through the API and waits for `stopped`; never timed. */
export async function stopWorkspace(ctx: BenchContext, workspaceId: string): Promise<void> {
  const watch = await ctx.stream.watchWorkspace(workspaceId);
  await requestWorkspaceOperation(ctx, workspaceId, 'stop');
  await within(watch.reach('stopped'), 60_000, `workspace ${workspaceId} to stop`);
  ctx.stream.unwatchWorkspace(workspaceId);
}
