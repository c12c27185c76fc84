import { describe, expect, it } from 'vitest';
import { workspaceStatsOf, type EngineStatsSample } from '../src/runtime/container-stats.ts';

const base: EngineStatsSample = {
  read: '2026-01-02T03:04:05.123456789Z',
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 16_000_000_000, online_cpus: 2 },
  memory_stats: { usage: 100 * 1024 * 1024, limit: 512 * 1024 * 1024, stats: { total_inactive_file: 40 * 1024 * 1024 } },
  pids_stats: { current: 7 },
};

describe('workspaceStatsOf', () => {
  it('computes CPU as a share of one core and memory without the page cache (cgroup v1)', () => {
    // 1 s of CPU over 4 s of system time across 2 cores = half a core.
    expect(workspaceStatsOf(base)).toEqual({
      cpuPercent: 50,
      memoryBytes: 60 * 1024 * 1024,
      memoryLimitBytes: 512 * 1024 * 1024,
      pids: 7,
      at: '2026-01-02T03:04:05.123Z',
    });
  });

  it('reads cgroup v2 inactive_file, and says 0% without a previous reading', () => {
    const stats = workspaceStatsOf({
      ...base,
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      memory_stats: { usage: 10_000, limit: 20_000, stats: { inactive_file: 4_000 } },
    });
    expect(stats).toMatchObject({ cpuPercent: 0, memoryBytes: 6_000, memoryLimitBytes: 20_000 });
  });

  it('never reports negative memory or a missing pid count', () => {
    const stats = workspaceStatsOf({ ...base, memory_stats: { usage: 10, stats: { cache: 50 } }, pids_stats: {} });
    expect(stats).toMatchObject({ memoryBytes: 0, memoryLimitBytes: 0, pids: 0 });
  });
});
