import { execFile } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@garrison/testkit';
import { docker } from './docker.ts';

const run = promisify(execFile);

async function git(args: string[]): Promise<string> {
  return (await run('git', args, { cwd: REPO_ROOT })).stdout.trim();
}

/** What the figures were measured on: they mean little without it. */
export async function describeMachine() {
  const version = await docker.version();
  const [commit, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain'])]);
  const cpuList = cpus();
  // Other work on the machine (another test run, other workspaces) competes for the same cores.
  const running = await docker.listContainers();
  return {
    machine: {
      cpus: cpuList.length,
      cpu_model: cpuList[0]?.model ?? null,
      memory_gib: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      kernel: release(),
      node: process.version,
      docker: { version: version.Version, api: version.ApiVersion },
      load_average_1m_at_start: Math.round(loadavg()[0]! * 100) / 100,
      running_containers_at_start: running.length,
    },
    git: { commit, dirty: status.length > 0, changed_files: status ? status.split('\n').length : 0 },
  };
}
