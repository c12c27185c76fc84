import { wallNow, within } from '../lib/clock.ts';
import { createWorkspace, timeMission, type BenchContext } from '../lib/context.ts';
import { cli, createOptions, docker, execToEnd, floorLabels, runArgs } from '../lib/docker.ts';
import { floorOf, ratio, summarize } from '../lib/stats.ts';

/**
 * Lifecycle API: `POST /api/v1/workspaces` (which provisions at once) -> `workspace:status`
 * `running` at a socket client. The room is joined right after the POST answers; if the
 * workspace is already running by then, the ack's arrival is used (counted in `late_subscribe`).
 */
export async function timeColdStart(ctx: BenchContext): Promise<{ workspaceId: string; ms: number; late: boolean }> {
  const started = wallNow();
  const workspaceId = await createWorkspace(ctx, 'cold');
  const watch = await ctx.stream.watchWorkspace(workspaceId);
  const late = watch.status === 'running';
  const runningAt = await within(watch.reach('running'), 60_000, `workspace ${workspaceId} to run`);
  ctx.stream.unwatchWorkspace(workspaceId);
  return { workspaceId, ms: runningAt - started, late };
}

/** Mission proxy (the figure before the lifecycle API): POST a workspace, then at once a mission -> first output. */
export async function timeColdFirstMission(ctx: BenchContext): Promise<{ workspaceId: string; ms: number }> {
  const started = wallNow();
  const workspaceId = await createWorkspace(ctx, 'cold-mission');
  const mission = await timeMission(ctx, workspaceId, 'echo hi');
  return { workspaceId, ms: mission.postedAt + mission.firstOutputMs - started };
}

/** ms until the container runs, and until its first exec ended (what a mission needs on top). */
interface FloorTimes {
  started: number;
  exec: number;
}

/** Floor, CLI: `docker volume create` + `docker run -d` with the worker's limits, then `docker exec true`. */
async function timeDockerRunCli(ctx: BenchContext, name: string): Promise<FloorTimes> {
  const begin = performance.now();
  const labels = Object.entries(floorLabels(ctx.teamId)).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  await cli(['volume', 'create', ...labels, name]);
  await cli(runArgs(name, name, ctx.teamId, ctx.limits));
  const started = performance.now() - begin;
  await cli(['exec', '-u', '1000:1000', name, 'true']);
  return { started, exec: performance.now() - begin };
}

/** Floor, API: the same through dockerode (volume, create, start, then exec `true` to its end). */
async function timeDockerRunApi(ctx: BenchContext, name: string): Promise<FloorTimes> {
  const begin = performance.now();
  await docker.createVolume({ Name: name, Labels: floorLabels(ctx.teamId) });
  const container = await docker.createContainer(createOptions(name, name, ctx.teamId, ctx.limits));
  await container.start();
  const started = performance.now() - begin;
  await execToEnd(name, ['true']);
  return { started, exec: performance.now() - begin };
}

/** What the warm-start figure stops and starts again. */
export interface ColdStartLeftovers {
  lifecycleWorkspaces: string[];
  missionWorkspaces: string[];
  cliContainers: string[];
  apiContainers: string[];
}

/** `workspace_cold_start_ms`: a brand-new workspace until it runs, with `docker run` as floor. */
export async function measureWorkspaceColdStart(ctx: BenchContext, n: number) {
  const lifecycle: number[] = [];
  const firstMission: number[] = [];
  const cliFloor: FloorTimes[] = [];
  const apiFloor: FloorTimes[] = [];
  let late = 0;
  const left: ColdStartLeftovers = { lifecycleWorkspaces: [], missionWorkspaces: [], cliContainers: [], apiContainers: [] };
  const suffix = ctx.teamId.slice(-8);
  for (let i = 0; i < n; i += 1) {
    const cold = await timeColdStart(ctx);
    left.lifecycleWorkspaces.push(cold.workspaceId);
    lifecycle.push(cold.ms);
    if (cold.late) late += 1;
    const viaMission = await timeColdFirstMission(ctx);
    left.missionWorkspaces.push(viaMission.workspaceId);
    firstMission.push(viaMission.ms);
    left.cliContainers.push(`garrison-bench-${suffix}-cli-${i}`);
    cliFloor.push(await timeDockerRunCli(ctx, left.cliContainers[i]!));
    left.apiContainers.push(`garrison-bench-${suffix}-api-${i}`);
    apiFloor.push(await timeDockerRunApi(ctx, left.apiContainers[i]!));
    if ((i + 1) % 5 === 0) ctx.progress(`workspace_cold_start: ${i + 1}/${n}`);
  }
  const figure = summarize(lifecycle);
  const mission = summarize(firstMission);
  const floor = floorOf('docker_create_start_api_ms', 'dockerode: create volume, create + start container (same image, limits, walls)', apiFloor.map((t) => t.started));
  const floorCli = floorOf('docker_run_d_ms', 'CLI: `docker volume create` + `docker run -d` (same image, limits, walls)', cliFloor.map((t) => t.started));
  const missionFloor = floorOf('docker_run_exec_api_ms', 'dockerode: create volume, create + start container, exec `true` to its end', apiFloor.map((t) => t.exec));
  const missionFloorCli = floorOf('docker_run_ms', 'CLI: `docker volume create` + `docker run -d` + `docker exec true`', cliFloor.map((t) => t.exec));
  return {
    left,
    figure: {
      ...figure,
      basis: 'lifecycle API: POST /api/v1/workspaces (provisions at once) -> workspace:status running at a socket client',
      late_subscribe: late,
      floor,
      ratio_p50: ratio(figure.p50, floor.p50),
      floor_cli: floorCli,
      ratio_p50_cli: ratio(figure.p50, floorCli.p50),
      first_mission: {
        ...mission,
        basis: 'mission proxy: POST /api/v1/workspaces, then at once a shell mission (`echo hi`) -> first process.output at a socket client',
        floor: missionFloor,
        ratio_p50: ratio(mission.p50, missionFloor.p50),
        floor_cli: missionFloorCli,
        ratio_p50_cli: ratio(mission.p50, missionFloorCli.p50),
      },
    },
  };
}
