import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MissionResultPayload } from '@garrison/core';
import { WORKSPACE_DIR, type RunnerSpec } from '@garrison/core/runner-constants';
import { findAgentAdapter, pickInheritedEnv } from '@garrison/agents';
import { EventLog } from './event-log.ts';
import { supervisorIdentity, type MissionFiles } from './mission-files.ts';
import { OutputSplitter } from './output-splitter.ts';
import { killMissionProcesses } from './process-sweep.ts';

/** After SIGTERM an agent gets this long to exit before its whole process group is killed. */
const CANCEL_GRACE_MS = Number(process.env.GARRISON_CANCEL_GRACE_MS ?? 5000);
/** A background process may keep the agent's pipes open after it exits; don't wait on it forever. */
const PIPE_DRAIN_MS = 2000;
/**
 * The workspace's memory cgroup counts its OOM kills: cgroup v1 in memory.oom_control, v2 in
 * memory.events. The kernel kills a process, not the container, so Docker's OOMKilled stays false.
 */
export const OOM_COUNTER_FILES = ['/sys/fs/cgroup/memory/memory.oom_control', '/sys/fs/cgroup/memory.events'];

export interface SuperviseOptions {
  oomCounterFiles?: string[];
}

/**
 * Runs one agent to its end and writes every event to the log. It owns the agent's process group
 * so cancel reaches grandchildren too. Resolves once `mission.result` is on disk.
 */
export function superviseMission(
  spec: RunnerSpec,
  files: MissionFiles,
  onFlushed: () => void,
  options: SuperviseOptions = {},
): Promise<void> {
  const log = new EventLog(files.events, spec.startSeq, onFlushed);
  writeFileSync(files.supervisorPid, supervisorIdentity(process.pid) ?? String(process.pid));
  const oomCounterFiles = options.oomCounterFiles ?? OOM_COUNTER_FILES;

  return new Promise<void>((resolve) => {
    let finished = false;
    const finish = (result: MissionResultPayload): void => {
      if (finished) return;
      finished = true;
      log.append('mission.result', result);
      log.close();
      writeFileSync(files.finalized, result.outcome);
      resolve();
    };

    const adapter = findAgentAdapter(spec.agent);
    if (!adapter) {
      finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: `no adapter for agent ${spec.agent}` });
      return;
    }
    const launch = adapter.buildLaunch(spec, {
      workspaceDir: process.env.GARRISON_WORKSPACE_DIR ?? WORKSPACE_DIR,
      homeDir: process.env.HOME ?? '/home/agent',
      inherited: pickInheritedEnv(process.env),
    });
    const oomKillsBefore = readOomKills(oomCounterFiles);
    const child = withOomScoreAdj(AGENT_OOM_SCORE_ADJ, () =>
      spawn(launch.command, launch.args, {
        cwd: launch.cwd,
        env: launch.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );

    const stdout = new OutputSplitter('stdout', (payload) => log.append('process.output', payload));
    const stderr = new OutputSplitter('stderr', (payload) => log.append('process.output', payload));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    let canceledBy: string | null = null;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };

    process.on('SIGTERM', () => {
      canceledBy = readCanceledBy(files.cancel);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), CANCEL_GRACE_MS).unref();
    });

    child.on('error', (error) => {
      finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: error.message });
    });

    child.on('exit', (exitCode, signal) => {
      // Whatever the agent left running ends with the mission, inside its group or not. Output
      // already in the pipes is still read to the end; only new output stops.
      killGroup('SIGKILL');
      killMissionProcesses(spec.missionId);
      const complete = (): void => {
        stdout.end();
        stderr.end();
        const oomKillsAfter = readOomKills(oomCounterFiles);
        const oom = oomKillsBefore !== null && oomKillsAfter !== null && oomKillsAfter > oomKillsBefore ? { oomKilled: true } : {};
        finish(
          canceledBy
            ? { outcome: 'canceled', exitCode, signal, canceledBy, ...oom }
            : { outcome: 'exited', exitCode, signal, ...oom },
        );
      };
      let pipesOpen = 2;
      const onClosed = (): void => {
        pipesOpen -= 1;
        if (pipesOpen === 0) complete();
      };
      if (child.stdout.closed) onClosed();
      else child.stdout.once('close', onClosed);
      if (child.stderr.closed) onClosed();
      else child.stderr.once('close', onClosed);
      setTimeout(complete, PIPE_DRAIN_MS).unref();
    });
  });
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

function readCanceledBy(path: string): string {
  if (!existsSync(path)) return 'unknown';
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { by?: unknown };
    return typeof parsed.by === 'string' ? parsed.by : 'unknown';
  } catch {
    return 'unknown';
  }
}
