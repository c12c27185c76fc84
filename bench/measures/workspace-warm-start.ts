import { workspaceContainerName } from '@garrison/core';
import { timeMission, type BenchContext } from '../lib/context.ts';
import { cli, docker, execToEnd } from '../lib/docker.ts';
import { floorOf, ratio, summarize } from '../lib/stats.ts';
import type { ColdStartRun } from './workspace-cold-start.ts';

/**
 * Starts a workspace whose container is stopped and returns ms until it did work: a mission
 * today. When `POST /api/v1/workspaces/:id/start` exists, replace this body with: POST it and
 * wait for the workspace's status `running`.
 */
export async function timeWarmStart(ctx: BenchContext, workspaceId: string): Promise<number> {
  return (await timeMission(ctx, workspaceId, 'echo hi')).firstOutputMs;
}

async function stop(container: string): Promise<void> {
  // tini is PID 1 and forwards SIGTERM, so this is prompt; the stop itself is never timed.
  await docker.getContainer(container).stop({ t: 10 });
}

/** Floor, CLI: `docker start` + first `docker exec true`. */
async function timeDockerStartCli(name: string): Promise<number> {
  const started = performance.now();
  await cli(['start', name]);
  await cli(['exec', '-u', '1000:1000', name, 'true']);
  return performance.now() - started;
}

/** Floor, API: start + exec `true` to its end through dockerode. */
async function timeDockerStartApi(name: string): Promise<number> {
  const started = performance.now();
  await docker.getContainer(name).start();
  await execToEnd(name, ['true']);
  return performance.now() - started;
}

/** `workspace_warm_start_ms`: first mission after `docker stop` of the workspace's container. */
export async function measureWorkspaceWarmStart(ctx: BenchContext, cold: Omit<ColdStartRun, 'figure'>) {
  const samples: number[] = [];
  const cliFloor: number[] = [];
  const apiFloor: number[] = [];
  for (let i = 0; i < cold.workspaceIds.length; i += 1) {
    const workspaceId = cold.workspaceIds[i]!;
    await stop(workspaceContainerName(workspaceId));
    samples.push(await timeWarmStart(ctx, workspaceId));
    await stop(cold.cliContainers[i]!);
    cliFloor.push(await timeDockerStartCli(cold.cliContainers[i]!));
    await stop(cold.apiContainers[i]!);
    apiFloor.push(await timeDockerStartApi(cold.apiContainers[i]!));
    ctx.progress(`workspace_warm_start: ${i + 1}/${cold.workspaceIds.length}`);
  }
  const figure = summarize(samples);
  const floor = floorOf('docker_start_api_ms', 'dockerode: start the stopped container + exec `true` to its end', apiFloor);
  const floorCli = floorOf('docker_start_ms', 'CLI: `docker start` + `docker exec true`', cliFloor);
  return {
    ...figure,
    basis: 'mission proxy: `docker stop` the workspace container (untimed), POST a shell mission (`echo hi`) -> first process.output at a socket client',
    floor,
    ratio_p50: ratio(figure.p50, floor.p50),
    floor_cli: floorCli,
    ratio_p50_cli: ratio(figure.p50, floorCli.p50),
  };
}
