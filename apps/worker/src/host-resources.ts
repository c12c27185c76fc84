import { statfs, readFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { HostResources } from '@garrison/core';
import type { ContainerRuntime } from './runtime/container-runtime.ts';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** Sums every core's times: what the host did since boot, in ms. */
export function sumCpuTimes(list: { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[]): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of list) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/** Busy share between two samples, 0..100 with one decimal; null when no time passed. */
export function cpuBusyPercent(previous: CpuTimes, next: CpuTimes): number | null {
  const total = next.total - previous.total;
  if (total <= 0) return null;
  const busy = Math.min(Math.max(next.busy - previous.busy, 0), total);
  return Math.round((busy / total) * 1000) / 10;
}

/** MemAvailable of /proc/meminfo in bytes (what can be used without swapping); null if absent. */
export function parseMemAvailable(meminfo: string): number | null {
  const match = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * Measures the host on every heartbeat, so it stays cheap: os counters, one statfs, and two engine
 * calls (info and one filtered list). CPU busy is the delta since the previous call.
 */
export function createHostResourceCollector(deps: { runtime: ContainerRuntime; installation: string; fallbackDir?: string }) {
  let previous: CpuTimes | null = null;
  const fallbackDir = deps.fallbackDir ?? process.cwd();

  return async function collectHostResources(): Promise<HostResources> {
    const times = sumCpuTimes(cpus());
    const busyPercent = previous ? cpuBusyPercent(previous, times) : null;
    previous = times;
    const [engine, meminfo] = await Promise.all([
      deps.runtime.engineStats(deps.installation).catch(() => null),
      readFile('/proc/meminfo', 'utf8').catch(() => ''),
    ]);
    return {
      cpu: { cores: cpus().length, load1: Math.round(loadavg()[0]! * 100) / 100, busyPercent },
      memory: { totalBytes: totalmem(), availableBytes: parseMemAvailable(meminfo) ?? freemem() },
      disk: await diskOf(engine?.dataRoot ?? null, fallbackDir),
      containers: engine ? { running: engine.containersRunning, total: engine.containersTotal, workspacesRunning: engine.workspacesRunning } : null,
      collectedAt: new Date().toISOString(),
    };
  };
}

/** Docker's data root is a host path; a worker in a container may not see it, so fall back. */
async function diskOf(dataRoot: string | null, fallbackDir: string): Promise<HostResources['disk']> {
  for (const path of dataRoot ? [dataRoot, fallbackDir] : [fallbackDir]) {
    try {
      const stats = await statfs(path);
      return { path, totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
    } catch {
      // not visible from here: try the next one
    }
  }
  return null;
}
