import { workspaceContainerName } from '@garrison/core';
import { createWorkspace, postMission, type BenchContext } from '../lib/context.ts';
import { wallNow, within } from '../lib/clock.ts';
import { cpuDuring } from '../lib/cpu.ts';
import { execToFirstOutput } from '../lib/docker.ts';
import { missionTimes, type MissionTimes } from '../lib/phases.ts';
import { ratio, round, summarize } from '../lib/stats.ts';

/** Dispatches missions at once and waits for all of them; returns each one's event times. */
async function runAll(ctx: BenchContext, workspaceIds: string[], count: number, prompt: string) {
  const postedAt = wallNow();
  const missionIds = await Promise.all(Array.from({ length: count }, (_, i) => postMission(ctx, workspaceIds[i % workspaceIds.length]!, prompt)));
  const trackers = await Promise.all(missionIds.map((id) => ctx.stream.track(id)));
  await within(Promise.all(trackers.map((t) => t.ended())), 180_000, `${count} concurrent missions to end`);
  for (const t of trackers) ctx.stream.untrack(t.missionId);
  const failed = trackers.filter((t) => t.endStatus !== 'completed');
  if (failed.length > 0) throw new Error(`bench: ${failed.length} concurrent missions did not complete (${failed[0]!.endStatus})`);
  return { postedAt, missions: trackers.map((t, i) => ({ workspaceId: workspaceIds[i % workspaceIds.length]!, times: missionTimes(t.events.map((r) => r.event)) })) };
}

/** The most missions of one workspace that were between `running` and terminal at the same moment. */
function maxOverlapPerWorkspace(missions: { workspaceId: string; times: MissionTimes }[]): number {
  let max = 0;
  for (const workspaceId of new Set(missions.map((m) => m.workspaceId))) {
    const edges = missions
      .filter((m) => m.workspaceId === workspaceId)
      .flatMap((m) => [{ at: m.times.running, step: 1 }, { at: m.times.terminal!, step: -1 }])
      .sort((a, b) => a.at - b.at || a.step - b.step);
    let open = 0;
    for (const edge of edges) max = Math.max(max, (open += edge.step));
  }
  return max;
}

/**
 * `missions_concurrent`: `count` shell missions (`echo hi`) over `workspaces` pre-warmed
 * workspaces, all POSTed at once; wall time from the first POST to the last terminal status
 * (its event ts). Floor: the same number of raw dockerode execs at once over the same containers.
 */
export async function measureMissionsConcurrent(ctx: BenchContext, workspaces: number, count: number) {
  const workspaceIds: string[] = [];
  for (let i = 0; i < workspaces; i += 1) workspaceIds.push(await createWorkspace(ctx, 'conc'));
  await runAll(ctx, workspaceIds, workspaces, 'true');
  ctx.progress(`missions_concurrent: ${workspaces} containers warm; dispatching ${count} missions`);

  const containers = workspaceIds.map(workspaceContainerName);
  const { result: run, cpu_ms } = await cpuDuring(ctx.fixture, containers, () => runAll(ctx, workspaceIds, count, 'echo hi'));
  const { postedAt, missions } = run;
  const totalMs = Math.max(...missions.map((m) => m.times.terminal!)) - postedAt;
  const step = (pick: (t: MissionTimes) => number) => {
    const s = summarize(missions.map((m) => pick(m.times)));
    return { p50: s.p50, max: s.max };
  };
  const runs = missions.map((m) => m.times.result! - m.times.running);
  const maxRunMs = Math.max(...runs);

  const floorStarted = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => execToFirstOutput(containers[i % workspaces]!, ['sh', '-lc', 'echo hi'])));
  const floorMs = performance.now() - floorStarted;

  return {
    total_ms: round(totalMs, 0),
    missions: count,
    workspaces,
    missions_per_s: round(count / (totalMs / 1000), 1),
    max_single_run_ms: round(maxRunMs, 0),
    overhead_per_mission_ms: round((totalMs - maxRunMs) / count, 1),
    basis: 'total = first POST -> last terminal mission.status (event ts); single run = a mission\'s running -> mission.result (runner start + agent + exit); overhead per mission = (total - max single run) / missions',
    steps_ms: {
      queued_to_claimed: step((t) => t.provisioning - t.queued),
      claimed_to_running: step((t) => t.running - t.provisioning),
      running_to_result: step((t) => t.result! - t.running),
      result_to_terminal: step((t) => t.terminal! - t.result!),
      queued_to_terminal: step((t) => t.terminal! - t.queued),
    },
    max_running_at_once_in_one_workspace: maxOverlapPerWorkspace(missions),
    cpu_ms,
    floor: { name: 'docker_exec_api_parallel_ms', method: `${count} dockerode execs of \`sh -lc "echo hi"\` at once over the same ${workspaces} containers, to their end`, ms: round(floorMs, 0) },
    ratio: ratio(totalMs, floorMs),
  };
}
