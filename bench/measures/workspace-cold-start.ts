import { wallNow } from '../lib/clock.ts';
import { createWorkspace, timeMission, type BenchContext } from '../lib/context.ts';
import { cli, createOptions, docker, execToEnd, floorLabels, runArgs } from '../lib/docker.ts';
import { floorOf, ratio, summarize } from '../lib/stats.ts';

/**
 * Brings a brand-new workspace up and returns ms until it did work, timed from the workspace's
 * creation so the figure stays right if creating one starts provisioning by itself. Today the
 * only way to start it is a mission (POST -> first output: volume, container, runner, delivery).
 * When `POST /api/v1/workspaces/:id/start` exists, replace the mission with: POST it and wait for
 * the workspace's status `running`; the figure then becomes the lifecycle API's own.
 */
export async function timeColdStart(ctx: BenchContext): Promise<{ workspaceId: string; ms: number }> {
  const started = wallNow();
  const workspaceId = await createWorkspace(ctx, 'cold');
  const mission = await timeMission(ctx, workspaceId, 'echo hi');
  return { workspaceId, ms: mission.postedAt + mission.firstOutputMs - started };
}

/** Floor, CLI: `docker volume create` + `docker run -d` with the worker's limits + first `docker exec true`. */
async function timeDockerRunCli(ctx: BenchContext, name: string): Promise<number> {
  const started = performance.now();
  const labels = Object.entries(floorLabels(ctx.teamId)).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  await cli(['volume', 'create', ...labels, name]);
  await cli(runArgs(name, name, ctx.teamId, ctx.limits));
  await cli(['exec', '-u', '1000:1000', name, 'true']);
  return performance.now() - started;
}

/** Floor, API: the same through dockerode (volume, create, start, exec `true` to its end). */
async function timeDockerRunApi(ctx: BenchContext, name: string): Promise<number> {
  const started = performance.now();
  await docker.createVolume({ Name: name, Labels: floorLabels(ctx.teamId) });
  const container = await docker.createContainer(createOptions(name, name, ctx.teamId, ctx.limits));
  await container.start();
  await execToEnd(name, ['true']);
  return performance.now() - started;
}

export interface ColdStartRun {
  figure: Record<string, unknown>;
  /** Left running for the warm-start figure, which stops and starts them again. */
  workspaceIds: string[];
  cliContainers: string[];
  apiContainers: string[];
}

/** `workspace_cold_start_ms`: first mission in a brand-new workspace, with `docker run` as floor. */
export async function measureWorkspaceColdStart(ctx: BenchContext, n: number): Promise<ColdStartRun> {
  const samples: number[] = [];
  const cliFloor: number[] = [];
  const apiFloor: number[] = [];
  const run: Omit<ColdStartRun, 'figure'> = { workspaceIds: [], cliContainers: [], apiContainers: [] };
  const suffix = ctx.teamId.slice(-8);
  for (let i = 0; i < n; i += 1) {
    const { workspaceId, ms } = await timeColdStart(ctx);
    run.workspaceIds.push(workspaceId);
    samples.push(ms);
    const cliName = `garrison-bench-${suffix}-cli-${i}`;
    run.cliContainers.push(cliName);
    cliFloor.push(await timeDockerRunCli(ctx, cliName));
    const apiName = `garrison-bench-${suffix}-api-${i}`;
    run.apiContainers.push(apiName);
    apiFloor.push(await timeDockerRunApi(ctx, apiName));
    ctx.progress(`workspace_cold_start: ${i + 1}/${n}`);
  }
  const figure = summarize(samples);
  const floor = floorOf('docker_run_api_ms', 'dockerode: create volume, create + start container (same image, limits, walls), exec `true` to its end', apiFloor);
  const floorCli = floorOf('docker_run_ms', 'CLI: `docker volume create` + `docker run -d` (same image, limits, walls) + `docker exec true`', cliFloor);
  return {
    ...run,
    figure: {
      ...figure,
      basis: 'mission proxy: POST /api/v1/workspaces, then at once a shell mission (`echo hi`) in it -> first process.output at a socket client (volume + container creation + runner + delivery)',
      floor,
      ratio_p50: ratio(figure.p50, floor.p50),
      floor_cli: floorCli,
      ratio_p50_cli: ratio(figure.p50, floorCli.p50),
    },
  };
}
