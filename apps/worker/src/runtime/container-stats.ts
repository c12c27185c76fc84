import type { WorkspaceStats } from '@garrison/core';

/** The part of the engine's stats answer (GET /containers/:id/stats?stream=false) we read. */
export interface EngineStatsSample {
  read: string;
  cpu_stats: CpuReading;
  precpu_stats?: Partial<CpuReading>;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number | undefined> };
  pids_stats?: { current?: number };
}

interface CpuReading {
  cpu_usage: { total_usage: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/**
 * Turns one engine sample into the numbers `docker stats` shows: CPU as a share of one core over
 * the interval between the sample's two readings, memory without the page cache (cgroup v1 calls
 * it `total_inactive_file`/`cache`, v2 `inactive_file`), since the kernel drops that first.
 */
export function workspaceStatsOf(sample: EngineStatsSample): WorkspaceStats {
  const cpuDelta = sample.cpu_stats.cpu_usage.total_usage - (sample.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (sample.cpu_stats.system_cpu_usage ?? 0) - (sample.precpu_stats?.system_cpu_usage ?? 0);
  const cores = sample.cpu_stats.online_cpus || sample.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  // Without a previous reading (a one-shot sample, or the container just started) there is no rate.
  const hasPrevious = (sample.precpu_stats?.system_cpu_usage ?? 0) > 0;
  const cpuPercent = hasPrevious && cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cores * 100 : 0;

  const memory = sample.memory_stats;
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? memory.stats?.cache ?? 0;
  const used = Math.max(0, (memory.usage ?? 0) - cache);
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes: Math.round(used),
    memoryLimitBytes: Math.round(memory.limit ?? 0),
    pids: sample.pids_stats?.current ?? 0,
    at: Number.isNaN(Date.parse(sample.read)) ? new Date().toISOString() : new Date(sample.read).toISOString(),
  };
}
