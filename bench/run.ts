/**
 * `npm run bench`: Garrison's figures on this machine, each next to its floor measured in the same
 * run (what Docker or Postgres alone take for the same work). Progress goes to stderr; one JSON
 * document goes to stdout and to bench/results/latest.json. `--quick` runs few samples, to check
 * the bench itself; its figures mean little.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { workspaceContainerName } from '@garrison/core';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { REPO_ROOT, TEST_DATABASE_URL, TEST_REDIS_URL, openStackFixture, type StackFixture } from '@garrison/testkit';
import { createWorkspace, timeMission, type BenchContext } from './lib/context.ts';
import { limitsOf, type WorkspaceLimits } from './lib/docker.ts';
import { EventStream } from './lib/event-stream.ts';
import { describeMachine } from './lib/machine.ts';
import { preflight } from './lib/preflight.ts';
import { removeBenchLeftovers } from './lib/cleanup.ts';
import { ratio, round } from './lib/stats.ts';
import { measureDispatchWarm } from './measures/dispatch-warm.ts';
import { measureFanout } from './measures/fanout.ts';
import { measureFanoutFloor } from './measures/fanout-floor.ts';
import { measureGatewayLatency } from './measures/gateway-latency.ts';
import { measureIngest, measureInsertFloor } from './measures/ingest.ts';
import { measureMcpBashCall } from './measures/mcp-bash-call.ts';
import { measureMcpInitialize } from './measures/mcp-initialize.ts';
import { measureMissionsConcurrent } from './measures/missions-concurrent.ts';
import { measureWorkspaceColdStart } from './measures/workspace-cold-start.ts';
import { measureWorkspaceWarmStart } from './measures/workspace-warm-start.ts';

const quick = process.argv.includes('--quick');
/** Sized so the whole run stays within about 3-4 minutes on a 2-core machine. */
const SAMPLES = quick
  ? { dispatch_warm: 3, workspace_start: 2, mcp_initialize: 3, mcp_bash_call: 5, ingest_lines: 20_000, fanout_clients: 10, fanout_lines: 20, concurrent_workspaces: 3, concurrent_missions: 9, gateway_calls: 10 }
  : { dispatch_warm: 100, workspace_start: 15, mcp_initialize: 50, mcp_bash_call: 200, ingest_lines: 200_000, fanout_clients: 100, fanout_lines: 200, concurrent_workspaces: 10, concurrent_missions: 50, gateway_calls: 50 };

/** Given to the worker; the floors use what the first workspace container really got (limitsOf). */
const limits: WorkspaceLimits = {
  image: process.env.GARRISON_WORKSPACE_IMAGE ?? 'garrison/workspace:dev',
  memoryMb: Number(process.env.WORKSPACE_MEMORY_MB ?? 2048),
  cpus: Number(process.env.WORKSPACE_CPUS ?? 1),
  pidsLimit: Number(process.env.WORKSPACE_PIDS_LIMIT ?? 512),
};

const startedAt = new Date();
const started = performance.now();
const progress = (message: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
};

let fixture: StackFixture | null = null;
let stream: EventStream | null = null;
let cleaning: Promise<void> | null = null;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    stream?.close();
    if (fixture) {
      progress('cleaning up: stack, containers and volumes of the bench team, its rows and Redis keys');
      await removeBenchLeftovers(fixture);
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function measureAll(ctx: BenchContext) {
  progress('warming up: first workspace container and two more missions (untimed)');
  const warmWorkspace = await createWorkspace(ctx, 'warm');
  for (let i = 0; i < 3; i += 1) await timeMission(ctx, warmWorkspace, 'echo warm-up');
  ctx.limits = await limitsOf(workspaceContainerName(warmWorkspace));
  progress(`workspace containers get ${JSON.stringify(ctx.limits)}; the floors' containers get the same`);

  progress(`dispatch_warm_ms: ${SAMPLES.dispatch_warm} samples, each with its two exec floors`);
  const dispatch_warm_ms = await measureDispatchWarm(ctx, warmWorkspace, SAMPLES.dispatch_warm);
  const mcp_initialize_ms = await measureMcpInitialize(ctx, warmWorkspace, SAMPLES.mcp_initialize);
  const mcp_bash_call_ms = await measureMcpBashCall(ctx, warmWorkspace, SAMPLES.mcp_bash_call);

  progress(`workspace_cold_start_ms / workspace_warm_start_ms: ${SAMPLES.workspace_start} workspaces, each with CLI and API floors`);
  const cold = await measureWorkspaceColdStart(ctx, SAMPLES.workspace_start);
  const workspace_warm_start_ms = await measureWorkspaceWarmStart(ctx, cold.left);

  progress(`fanout: ${SAMPLES.fanout_clients} clients x ${SAMPLES.fanout_lines} lines`);
  const fanout = await measureFanout(ctx, warmWorkspace, SAMPLES.fanout_clients, SAMPLES.fanout_lines);
  const fanoutFloor = await measureFanoutFloor(ctx, SAMPLES.fanout_clients, SAMPLES.fanout_lines);
  const fanout_p99_ms = { ...fanout, floor: fanoutFloor, ratio_p99: ratio(fanout.p99, fanoutFloor.p99), ratio_p50: ratio(fanout.p50, fanoutFloor.p50) };

  progress(`missions_concurrent: ${SAMPLES.concurrent_missions} missions over ${SAMPLES.concurrent_workspaces} workspaces`);
  const missions_concurrent = await measureMissionsConcurrent(ctx, SAMPLES.concurrent_workspaces, SAMPLES.concurrent_missions);

  progress(`gateway_call_ms: ${SAMPLES.gateway_calls} non-streaming model calls through the gateway, each with a direct one as floor`);
  const gateway_call_ms = await measureGatewayLatency(ctx, SAMPLES.gateway_calls);

  progress(`insert floor: ${SAMPLES.ingest_lines} rows through insertEventBatch`);
  const insertFloor = await measureInsertFloor(ctx, warmWorkspace, SAMPLES.ingest_lines);
  progress(`ingest: one mission printing ${SAMPLES.ingest_lines} lines`);
  const ingest = await measureIngest(ctx, warmWorkspace, SAMPLES.ingest_lines);
  const ingest_events_per_s = {
    ...ingest,
    floor: insertFloor,
    ratio: ratio(ingest.value, insertFloor.value),
    ratio_persist_window: ingest.persist_window.events_per_s === null ? null : ratio(ingest.persist_window.events_per_s, insertFloor.value),
  };

  return {
    dispatch_warm_ms,
    // The floors of the two headline figures at top level too (the issue names them); the same
    // objects stay nested under their figures, where other documents quote them.
    docker_exec_ms: { ...dispatch_warm_ms.floor_cli, floor_of: 'dispatch_warm_ms', figure_ratio_p50: dispatch_warm_ms.ratio_p50_vs_docker_exec },
    workspace_cold_start_ms: cold.figure,
    workspace_warm_start_ms,
    mcp_initialize_ms,
    mcp_bash_call_ms,
    ingest_events_per_s,
    insert_floor_rows_per_s: { ...insertFloor, floor_of: 'ingest_events_per_s', figure_ratio: ingest_events_per_s.ratio },
    fanout_p99_ms,
    missions_concurrent,
    gateway_call_ms,
  };
}

async function main(): Promise<void> {
  await preflight(TEST_DATABASE_URL, TEST_REDIS_URL, limits.image);
  const about = await describeMachine();
  progress('starting api and worker (openStackFixture)');
  fixture = await openStackFixture({
    env: {
      GARRISON_WORKSPACE_IMAGE: limits.image,
      WORKSPACE_MEMORY_MB: String(limits.memoryMb),
      WORKSPACE_CPUS: String(limits.cpus),
      WORKSPACE_PIDS_LIMIT: String(limits.pidsLimit),
    },
  });
  progress(`team ${fixture.team.teamId} (its containers carry label dev.garrison.team-id=${fixture.team.teamId}), Redis prefix ${fixture.stack.redisPrefix}`);
  const cookie = fixture.client.sessionCookie!;
  stream = await EventStream.open(fixture.stack.apiUrl, cookie);
  const ctx: BenchContext = {
    fixture,
    client: fixture.client,
    db: fixture.db,
    apiUrl: fixture.stack.apiUrl,
    cookie,
    teamId: fixture.team.teamId,
    limits,
    stream,
    progress,
  };
  let figures: Awaited<ReturnType<typeof measureAll>>;
  try {
    figures = await measureAll(ctx);
  } catch (error) {
    process.stderr.write(`--- worker log (tail) ---\n${fixture.stack.worker.logs().slice(-4000)}\n--- api log (tail) ---\n${fixture.stack.api.logs().slice(-2000)}\n`);
    throw error;
  } finally {
    await cleanUp();
  }
  const machine = { ...about.machine, load_average_1m_at_end: round(loadavg()[0]!, 2) };
  const document = {
    bench: 'garrison',
    quick,
    started_at: startedAt.toISOString(),
    duration_s: round((performance.now() - started) / 1000, 1),
    samples: SAMPLES,
    notes: 'Latencies in ms, p50/p95/p99 by nearest rank over n samples (p99 = max when n < 100). ratio_p50 = figure p50 / floor p50 (1.0 = as fast as Docker alone); for rates, ratio = figure / floor (1.0 = as fast as the raw insert). docker_exec_ms and insert_floor_rows_per_s are floors, repeated at top level with floor_of naming their figure.',
    machine,
    git: about.git,
    workspace_limits: ctx.limits,
    ...figures,
  };
  const json = JSON.stringify(document, null, 2);
  const out = resolve(REPO_ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, 'latest.json'), `${json}\n`);
  process.stdout.write(`${json}\n`);
  progress(`done; written to bench/results/latest.json`);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await cleanUp().catch((cleanupError: unknown) => process.stderr.write(`cleanup failed: ${String(cleanupError)}\n`));
    process.exit(1);
  },
);
