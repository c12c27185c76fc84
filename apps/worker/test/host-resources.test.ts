import { describe, expect, it } from 'vitest';
import { HostResources } from '@garrison/core';
import { cpuBusyPercent, createHostResourceCollector, parseMemAvailable, sumCpuTimes } from '../src/host-resources.ts';
import type { ContainerRuntime, EngineStats } from '../src/runtime/container-runtime.ts';

const core = (user: number, idle: number) => ({ times: { user, nice: 0, sys: 0, idle, irq: 0 } });

function fakeRuntime(stats: EngineStats | Error): ContainerRuntime {
  return {
    engineStats: async () => {
      if (stats instanceof Error) throw stats;
      return stats;
    },
  } as unknown as ContainerRuntime;
}

describe('host resources', () => {
  it('sums busy and total time over every core', () => {
    expect(sumCpuTimes([core(300, 700), core(100, 900)])).toEqual({ busy: 400, total: 2000 });
  });

  it('computes the busy share between two samples', () => {
    expect(cpuBusyPercent({ busy: 400, total: 2000 }, { busy: 700, total: 3000 })).toBe(30);
    expect(cpuBusyPercent({ busy: 0, total: 0 }, { busy: 1, total: 3 })).toBe(33.3);
    expect(cpuBusyPercent({ busy: 10, total: 100 }, { busy: 10, total: 100 })).toBeNull();
    // Counters that went backwards (a CPU went offline) never give a negative share.
    expect(cpuBusyPercent({ busy: 500, total: 1000 }, { busy: 400, total: 2000 })).toBe(0);
  });

  it('reads MemAvailable from /proc/meminfo', () => {
    expect(parseMemAvailable('MemTotal:  8000000 kB\nMemFree:  100 kB\nMemAvailable:    2048 kB\n')).toBe(2048 * 1024);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBeNull();
  });

  it('measures this machine and reports the engine counts', async () => {
    const collect = createHostResourceCollector({
      runtime: fakeRuntime({ dataRoot: '/definitely/not/here', containersRunning: 3, containersTotal: 7, workspacesRunning: 2 }),
      installation: 'test',
      fallbackDir: process.cwd(),
    });
    const first = HostResources.parse(await collect());
    expect(first.cpu.busyPercent).toBeNull();
    expect(first.cpu.cores).toBeGreaterThan(0);
    expect(first.memory.totalBytes).toBeGreaterThan(first.memory.availableBytes);
    expect(first.memory.availableBytes).toBeGreaterThan(0);
    // The engine's data root is not visible here, so the disk is the worker's own directory.
    expect(first.disk?.path).toBe(process.cwd());
    expect(first.disk!.totalBytes).toBeGreaterThanOrEqual(first.disk!.freeBytes);
    expect(first.containers).toEqual({ running: 3, total: 7, workspacesRunning: 2 });
    const second = HostResources.parse(await collect());
    expect(second.cpu.busyPercent === null || (second.cpu.busyPercent >= 0 && second.cpu.busyPercent <= 100)).toBe(true);
  });

  it('reports no containers while the engine does not answer', async () => {
    const collect = createHostResourceCollector({ runtime: fakeRuntime(new Error('engine down')), installation: 'test' });
    const resources = HostResources.parse(await collect());
    expect(resources.containers).toBeNull();
    expect(resources.disk).not.toBeNull();
  });
});
