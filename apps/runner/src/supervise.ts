import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { MissionResultPayload } from '@garrison/core';
import { MCP_BUNDLE, WORKSPACE_DIR, type RunnerSpec } from '@garrison/core/runner-constants';
import type { DeclaredOutcome } from '@garrison/core/mission-channel';
import { findAgentAdapter, pickInheritedEnv, type AgentAdapter, type AgentLaunch, type AgentTurn, type LaunchBase } from '@garrison/agents';
import { parsedOutput, rawOutput } from './agent-output.ts';
import { startTurn, type RunningTurn, type TurnExit } from './agent-turn.ts';
import { ChannelWatcher } from './channel-watcher.ts';
import { EventLog } from './event-log.ts';
import { supervisorIdentity, type MissionFiles } from './mission-files.ts';
import { killMissionProcesses } from './process-sweep.ts';
import { startWatchdog } from './watchdog.ts';

/** After SIGTERM an agent gets this long to exit before its whole process group is killed. */
const CANCEL_GRACE_MS = Number(process.env.GARRISON_CANCEL_GRACE_MS ?? 5000);
/**
 * The workspace's memory cgroup counts its OOM kills: cgroup v1 in memory.oom_control, v2 in
 * memory.events. The kernel kills a process, not the container, so Docker's OOMKilled stays false.
 */
export const OOM_COUNTER_FILES = ['/sys/fs/cgroup/memory/memory.oom_control', '/sys/fs/cgroup/memory.events'];

export interface SuperviseOptions {
  oomCounterFiles?: string[];
  /** Tests drive the supervisor with an adapter of their own. */
  adapter?: AgentAdapter;
}

type Stop = { outcome: 'canceled'; by: string } | { outcome: 'unresponsive'; message: string } | { outcome: 'budget_exceeded'; message: string };

/**
 * Runs one attempt of a mission to its end and writes every event to the log: the agent's turns
 * (a follow-up received while a turn runs starts the next turn in the same session), the
 * channel's questions and approvals, the watchdog and the runtime limit. It owns each turn's
 * process group so a stop reaches grandchildren too. Resolves once `mission.result` is on disk.
 */
export async function superviseMission(spec: RunnerSpec, files: MissionFiles, onFlushed: () => void, options: SuperviseOptions = {}): Promise<void> {
  const log = new EventLog(files.events, spec.startSeq, onFlushed, spec.gateway ? [spec.gateway.token] : []);
  writeFileSync(files.supervisorPid, supervisorIdentity(process.pid) ?? String(process.pid));
  for (const dir of [files.requests, files.responses, files.inbox, files.agentDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const oomCounterFiles = options.oomCounterFiles ?? OOM_COUNTER_FILES;
  const channel = new ChannelWatcher(files, log);
  channel.start();

  const finish = (result: MissionResultPayload): void => {
    channel.stop();
    const declared = readDeclaredOutcome(files.outcome);
    log.append('mission.result', { ...result, ...(declared ? { declared } : {}) });
    log.close();
    writeFileSync(files.finalized, result.outcome);
  };

  const adapter = options.adapter ?? findAgentAdapter(spec.agent);
  if (!adapter) return finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: `no adapter for agent ${spec.agent}` });

  let stop: Stop | null = null;
  let current: RunningTurn | null = null;
  const stopAgent = (reason: Stop): void => {
    stop ??= reason;
    current?.signalGroup('SIGTERM');
    setTimeout(() => current?.signalGroup('SIGKILL'), CANCEL_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stopAgent(readStopRequest(files.cancel)));
  if (spec.maxRuntimeS) {
    setTimeout(() => stopAgent({ outcome: 'budget_exceeded', message: `the mission's runtime limit of ${spec.maxRuntimeS} s was reached` }), spec.maxRuntimeS * 1000).unref();
  }
  const watchdog = startWatchdog({
    ...spec.watchdog,
    isWaitingForPerson: () => channel.hasPending() || current === null,
    onWarn: (silentForS) => log.append('error', { code: 'agent_silent', message: `the agent has printed nothing for ${silentForS} s while it should be working` }),
    onFail: (silentForS) => stopAgent({ outcome: 'unresponsive', message: `the agent printed nothing for ${silentForS} s and was stopped` }),
  });
  channel.onChange(() => watchdog.activity());

  const base = launchBase(spec, files);
  let sessionId = spec.resumeSessionId;
  let turn: AgentTurn = { number: 1, prompt: spec.prompt, ...(sessionId ? { resumeSessionId: sessionId } : {}) };
  const oomKillsBefore = readOomKills(oomCounterFiles);
  for (;;) {
    let launch: AgentLaunch;
    try {
      launch = adapter.buildLaunch(spec, turn, base);
    } catch (error) {
      watchdog.stop();
      return finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: error instanceof Error ? error.message : String(error) });
    }
    const parser = adapter.createParser?.();
    const sinks = { stdout: parser ? parsedOutput(parser, log) : rawOutput('stdout', log), stderr: rawOutput('stderr', log) };
    watchdog.activity();
    const hooks = { onOutput: () => watchdog.activity(), sweepEscaped: () => killMissionProcesses(spec.missionId) };
    current = startTurn(launch, sinks, hooks, (agent) => withOomScoreAdj(AGENT_OOM_SCORE_ADJ, () => spawnAgent(agent)));
    const exit: TurnExit = await current.exited;
    current = null;
    sessionId = parser?.sessionId ?? sessionId;
    if (exit.spawnError) {
      watchdog.stop();
      return finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: exit.spawnError });
    }
    const messages = stop || exit.exitCode !== 0 ? [] : channel.takeMessages();
    if (messages.length > 0 && sessionId) {
      turn = { number: turn.number + 1, prompt: messages.map((message) => message.text).join('\n\n'), resumeSessionId: sessionId };
      continue;
    }
    if (messages.length > 0) log.append('error', { code: 'resume_unsupported', message: 'the agent reported no session to continue; the follow-up was not delivered' });
    watchdog.stop();
    const oomKillsAfter = readOomKills(oomCounterFiles);
    const oom = oomKillsBefore !== null && oomKillsAfter !== null && oomKillsAfter > oomKillsBefore ? { oomKilled: true } : {};
    const common = { exitCode: exit.exitCode, signal: exit.signal, ...oom, ...(sessionId ? { sessionId } : {}), ...(spec.resumeSessionId ? { resumed: true } : {}) };
    const finalStop = stop as Stop | null;
    if (finalStop?.outcome === 'canceled') return finish({ outcome: 'canceled', canceledBy: finalStop.by, ...common });
    if (finalStop) return finish({ outcome: finalStop.outcome, message: finalStop.message, ...common });
    return finish({ outcome: 'exited', ...common });
  }
}

function spawnAgent(launch: AgentLaunch) {
  return spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

function launchBase(spec: RunnerSpec, files: MissionFiles): LaunchBase {
  const workspaceDir = spec.cwd ?? process.env.GARRISON_WORKSPACE_DIR ?? WORKSPACE_DIR;
  const homeDir = process.env.HOME ?? '/home/agent';
  const inherited = pickInheritedEnv(process.env);
  return {
    workspaceDir,
    homeDir,
    inherited,
    missionDir: files.missionDir,
    mcp: {
      command: process.execPath,
      args: [process.env.GARRISON_MCP_BUNDLE ?? MCP_BUNDLE],
      env: {
        ...inherited,
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: homeDir,
        GARRISON_MISSION_ID: spec.missionId,
        GARRISON_MISSION_DIR: files.dir,
        GARRISON_POLICY: spec.policy,
        GARRISON_WORKSPACE_DIR: workspaceDir,
      },
    },
  };
}

/** The cgroup's OOM kill count, or null when neither cgroup version's file can be read. */
export function readOomKills(paths: string[] = OOM_COUNTER_FILES): number | null {
  for (const path of paths) {
    try {
      const match = /^oom_kill (\d+)$/m.exec(readFileSync(path, 'utf8'));
      if (match) return Number(match[1]);
    } catch {
      // Not this cgroup version.
    }
  }
  return null;
}

/**
 * The agent's processes go first when the workspace runs out of memory: a killed supervisor could
 * not report the kill, and the mission would end runner_lost instead of oom. Children inherit the
 * score at fork, so it is raised around the spawn only; an unprivileged process may lower it back.
 */
const AGENT_OOM_SCORE_ADJ = 1000;
const OOM_SCORE_ADJ_FILE = '/proc/self/oom_score_adj';

function withOomScoreAdj<T>(score: number, run: () => T): T {
  let previous: string | null = null;
  try {
    previous = readFileSync(OOM_SCORE_ADJ_FILE, 'utf8').trim();
    writeFileSync(OOM_SCORE_ADJ_FILE, String(score));
  } catch {
    previous = null;
  }
  try {
    return run();
  } finally {
    if (previous !== null) {
      try {
        writeFileSync(OOM_SCORE_ADJ_FILE, previous);
      } catch {
        // Cannot happen (the old score is at or above the floor); left raised, size alone decides.
      }
    }
  }
}

/** Who asked for the stop, and why: a person's cancel, or the gateway's budget stop. */
function readStopRequest(path: string): Stop {
  if (!existsSync(path)) return { outcome: 'canceled', by: 'unknown' };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { by?: unknown; reason?: unknown };
    if (parsed.reason === 'budget_exceeded') return { outcome: 'budget_exceeded', message: "the mission's turn or cost limit was reached at the model gateway" };
    return { outcome: 'canceled', by: typeof parsed.by === 'string' ? parsed.by : 'unknown' };
  } catch {
    return { outcome: 'canceled', by: 'unknown' };
  }
}

function readDeclaredOutcome(path: string): Pick<DeclaredOutcome, 'status' | 'summary'> | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DeclaredOutcome>;
    if ((parsed.status === 'completed' || parsed.status === 'blocked' || parsed.status === 'not_feasible') && typeof parsed.summary === 'string') {
      return { status: parsed.status, summary: parsed.summary.slice(0, 8000) };
    }
  } catch {
    // No verdict from the agent: its exit code decides.
  }
  return null;
}
