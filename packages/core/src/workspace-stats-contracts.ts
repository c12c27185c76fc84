import { z } from 'zod';

/**
 * Live resource usage of a running workspace: `GET /api/v1/workspaces/:id/stats` asks the worker
 * of the workspace's host on the `workspace-stats` queue (request/response, per host, see
 * hostQueueName), which takes one sample from the container engine.
 */
export const WorkspaceStatsJob = z.object({ workspaceId: z.string().min(1) });
export type WorkspaceStatsJob = z.infer<typeof WorkspaceStatsJob>;

export const WorkspaceStats = z.object({
  /** Share of one CPU core over the engine's sampling interval: 200 means two full cores. */
  cpuPercent: z.number().min(0),
  /** Memory in use, without the page cache the kernel can drop (what `docker stats` shows). */
  memoryBytes: z.number().int().min(0),
  /** The container's memory limit; the host's memory when it has none. */
  memoryLimitBytes: z.number().int().min(0),
  pids: z.number().int().min(0),
  /** When the engine took the sample (ISO 8601). */
  at: z.string(),
});
export type WorkspaceStats = z.infer<typeof WorkspaceStats>;

export const WorkspaceStatsResult = z.union([
  z.object({ ok: z.literal(false), code: z.literal('invalid_workspace_state'), message: z.string() }),
  z.object({ ok: z.literal(true), stats: WorkspaceStats }),
]);
export type WorkspaceStatsResult = z.infer<typeof WorkspaceStatsResult>;
