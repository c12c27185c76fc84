import { workspaceContainerName } from '@garrison/core';
import { timeDockerExec } from '@garrison/testkit';
import { timeMission, type BenchContext } from '../lib/context.ts';
import { execToFirstOutput } from '../lib/docker.ts';
import { dispatchPhases, missionTimes } from '../lib/phases.ts';
import { floorOf, ratio, round, summarize } from '../lib/stats.ts';

const COMMAND = 'echo hi';

/**
 * `dispatch_warm_ms`: POST a shell mission into a workspace whose container already runs, until
 * the first `process.output` reaches a socket client. Each sample is followed by the two floors
 * on the same container: dockerode exec to first output, and the docker CLI to exit.
 */
export async function measureDispatchWarm(ctx: BenchContext, workspaceId: string, n: number) {
  const container = workspaceContainerName(workspaceId);
  const samples: number[] = [];
  const apiFloor: number[] = [];
  const cliFloor: number[] = [];
  const phases: Record<string, number[]> = {};
  for (let i = 0; i < n; i += 1) {
    const mission = await timeMission(ctx, workspaceId, COMMAND);
    samples.push(mission.firstOutputMs);
    const events = mission.tracker.events.map((r) => r.event);
    const steps = dispatchPhases(mission.postedAt, missionTimes(events), mission.tracker.firstOutputAt!);
    for (const [step, ms] of Object.entries(steps)) (phases[step] ??= []).push(ms);
    apiFloor.push(await execToFirstOutput(container, ['sh', '-lc', COMMAND]));
    cliFloor.push(await timeDockerExec(container, ['sh', '-lc', COMMAND]));
    if ((i + 1) % 10 === 0) ctx.progress(`dispatch_warm: ${i + 1}/${n}`);
  }
  const figure = summarize(samples);
  const floor = floorOf('docker_exec_api_ms', 'dockerode exec create+start of `sh -lc "echo hi"` as uid 1000 -> first output byte', apiFloor);
  const cli = floorOf('docker_exec_ms', '`docker exec -u 1000:1000 <c> sh -lc "echo hi"` (CLI, to exit; includes the CLI process start)', cliFloor);
  return {
    ...figure,
    basis: 'POST /api/v1/missions (shell, `echo hi`, container running) -> first process.output at a socket client',
    floor,
    ratio_p50: ratio(figure.p50, floor.p50),
    floor_cli: cli,
    ratio_p50_cli: ratio(figure.p50, cli.p50),
    // The floor is raw `docker exec` (the CLI); the same number as ratio_p50_cli, named for it.
    ratio_p50_vs_docker_exec: ratio(figure.p50, cli.p50),
    breakdown_p50_ms: Object.fromEntries(Object.entries(phases).map(([step, values]) => [step, round(summarize(values).p50)])),
  };
}
