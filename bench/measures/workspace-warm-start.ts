import { wallNow, within } from '../lib/clock.ts';
import { requestWorkspaceOperation, stopWorkspace, timeMission, type BenchContext } from '../lib/context.ts';
import { cli, docker, execToEnd } from '../lib/docker.ts';
import { floorOf, ratio, summarize } from '../lib/stats.ts';
import type { ColdStartLeftovers } from './workspace-cold-start.ts';

/** Lifecycle API: `POST /api/v1/workspaces/:id/start` on a stopped workspace -> `workspace:status` `running`. */
export async function timeWarmStart(ctx: BenchContext, workspaceId: string): Promise<number> {
  const watch = await ctx.stream.watchWorkspace(workspaceId);
  const started = wallNow();
  await requestWorkspaceOperation(ctx, workspaceId, 'start');
  const runningAt = await within(watch.reach('running'), 60_000, `workspace ${workspaceId} to run`);
  ctx.stream.unwatchWorkspace(workspaceId);
  return runningAt - started;
}

/** Mission proxy: the first mission in a stopped workspace, POST -> first output. */
export async function timeWarmFirstMission(ctx: BenchContext, workspaceId: string): Promise<number> {
  return (await timeMission(ctx, workspaceId, 'echo hi')).firstOutputMs;
}

async function stopContainer(container: string): Promise<void> {
  // tini is PID 1 and forwards SIGTERM, so this is prompt; the stop itself is never timed.
  await docker.getContainer(container).stop({ t: 10 });
}

/** ms until the container runs again, and until its first exec ended. */
interface FloorTimes {
  started: number;
  exec: number;
}

/** Floor, CLI: `docker start`, then `docker exec true`. */
async function timeDockerStartCli(name: string): Promise<FloorTimes> {
  const begin = performance.now();
  await cli(['start', name]);
  const started = performance.now() - begin;
  await cli(['exec', '-u', '1000:1000', name, 'true']);
  return { started, exec: performance.now() - begin };
}

/** Floor, API: start, then exec `true` to its end, through dockerode. */
async function timeDockerStartApi(name: string): Promise<FloorTimes> {
  const begin = performance.now();
  await docker.getContainer(name).start();
  const started = performance.now() - begin;
  await execToEnd(name, ['true']);
  return { started, exec: performance.now() - begin };
}

/** `workspace_warm_start_ms`: a stopped workspace (stopped through the API, untimed) until it runs again. */
export async function measureWorkspaceWarmStart(ctx: BenchContext, cold: ColdStartLeftovers) {
  const lifecycle: number[] = [];
  const firstMission: number[] = [];
  const cliFloor: FloorTimes[] = [];
  const apiFloor: FloorTimes[] = [];
  const n = cold.lifecycleWorkspaces.length;
  for (let i = 0; i < n; i += 1) {
    await stopWorkspace(ctx, cold.lifecycleWorkspaces[i]!);
    lifecycle.push(await timeWarmStart(ctx, cold.lifecycleWorkspaces[i]!));
    await stopWorkspace(ctx, cold.missionWorkspaces[i]!);
    firstMission.push(await timeWarmFirstMission(ctx, cold.missionWorkspaces[i]!));
    await stopContainer(cold.cliContainers[i]!);
    cliFloor.push(await timeDockerStartCli(cold.cliContainers[i]!));
    await stopContainer(cold.apiContainers[i]!);
    apiFloor.push(await timeDockerStartApi(cold.apiContainers[i]!));
    if ((i + 1) % 5 === 0) ctx.progress(`workspace_warm_start: ${i + 1}/${n}`);
  }
  const figure = summarize(lifecycle);
  const mission = summarize(firstMission);
  const floor = floorOf('docker_start_api_ms', 'dockerode: start the stopped container', apiFloor.map((t) => t.started));
  const floorCli = floorOf('docker_start_cli_ms', 'CLI: `docker start`', cliFloor.map((t) => t.started));
  const missionFloor = floorOf('docker_start_exec_api_ms', 'dockerode: start the stopped container, exec `true` to its end', apiFloor.map((t) => t.exec));
  const missionFloorCli = floorOf('docker_start_ms', 'CLI: `docker start` + `docker exec true`', cliFloor.map((t) => t.exec));
  return {
    ...figure,
    basis: 'lifecycle API: POST /api/v1/workspaces/:id/stop (untimed, until stopped), then POST .../start -> workspace:status running at a socket client',
    floor,
    ratio_p50: ratio(figure.p50, floor.p50),
    floor_cli: floorCli,
    ratio_p50_cli: ratio(figure.p50, floorCli.p50),
    first_mission: {
      ...mission,
      basis: 'mission proxy: workspace stopped through the API (untimed), POST a shell mission (`echo hi`) -> first process.output at a socket client',
      floor: missionFloor,
      ratio_p50: ratio(mission.p50, missionFloor.p50),
      floor_cli: missionFloorCli,
      ratio_p50_cli: ratio(mission.p50, missionFloorCli.p50),
    },
  };
}
