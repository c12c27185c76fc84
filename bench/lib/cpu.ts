import { readFileSync, readdirSync } from 'node:fs';
import type { StackFixture } from '@garrison/testkit';
import { docker } from './docker.ts';
import { round } from './stats.ts';

/** Linux reports process and machine CPU in clock ticks of 10 ms (`getconf CLK_TCK` = 100). */
const TICK_MS = 10;

function processCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the parenthesised command: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = ticks as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
}

/** Shared services by process name; they also serve any other work on the machine. */
const SERVICES: Record<string, RegExp> = { postgres: /^postgres$/, redis: /^redis-server$/, docker_engine: /^(dockerd|containerd.*|docker-proxy)$/ };

function servicesCpuMs(): Map<string, { service: string; ms: number }> {
  const byPid = new Map<string, { service: string; ms: number }>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const service = Object.keys(SERVICES).find((key) => SERVICES[key]!.test(comm));
      if (service) byPid.set(pid, { service, ms: processCpuMs(Number(pid)) });
    } catch {}
  }
  return byPid;
}

/** Per service: what its processes spent between two scans (a process that exited meanwhile is lost). */
function servicesSpent(before: Map<string, { ms: number }>, after: Map<string, { service: string; ms: number }>): Record<string, number> {
  const spent: Record<string, number> = Object.fromEntries(Object.keys(SERVICES).map((key) => [key, 0]));
  for (const [pid, { service, ms }] of after) spent[service]! += ms - (before.get(pid)?.ms ?? 0);
  return spent;
}

/** cgroup v1 accounting of a container (runner, agent, MCP server and every exec in it); NaN elsewhere. */
function containerCpuMs(id: string): number {
  try {
    return Number(readFileSync(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8')) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time each part spent while `work` ran: where a figure's time goes on a small machine.
 * PostgreSQL, Redis and the Docker engine are counted whole: they also serve any other work on
 * the machine. `rest` is whatever else was busy (the kernel's share, other processes).
 */
export async function cpuDuring<T>(fixture: StackFixture, containerNames: string[], work: () => Promise<T>) {
  const containerIds = await Promise.all(containerNames.map(async (name) => (await docker.getContainer(name).inspect()).Id));
  const sample = () => ({
    api: processCpuMs(fixture.stack.api.pid),
    worker: processCpuMs(fixture.stack.worker.pid),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    container: containerIds.reduce((sum, id) => sum + containerCpuMs(id), 0),
    machine: machineBusyMs(),
    at: performance.now(),
  });
  const servicesBefore = servicesCpuMs();
  const before = sample();
  const result = await work();
  const after = sample();
  const services = servicesSpent(servicesBefore, servicesCpuMs());
  const serviceTotal = Object.values(services).reduce((sum, ms) => sum + ms, 0);
  const spent = (key: keyof typeof before) => after[key] - before[key];
  const ours = spent('api') + spent('worker') + spent('bench') + (Number.isNaN(spent('container')) ? 0 : spent('container'));
  const cpu_ms = {
    wall: round(spent('at'), 0),
    api: round(spent('api'), 0),
    worker: round(spent('worker'), 0),
    bench_clients: round(spent('bench'), 0),
    workspace_containers: Number.isNaN(spent('container')) ? null : round(spent('container'), 0),
    ...Object.fromEntries(Object.entries(services).map(([key, ms]) => [key, round(ms, 0)])),
    rest: round(spent('machine') - ours - serviceTotal, 0),
    machine_busy: round(spent('machine'), 0),
  };
  return { result, cpu_ms };
}
