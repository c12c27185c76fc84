import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { RunnerSpec, WORKSPACE_DIR, type MissionResultPayload } from '@garrison/core';
import { findAgentAdapter } from '@garrison/agents';
import { EventLog } from './event-log.ts';
import { missionFiles } from './mission-files.ts';
import { OutputSplitter } from './output-splitter.ts';

/** After SIGTERM an agent gets this long to exit before its whole process group is killed. */
const CANCEL_GRACE_MS = Number(process.env.GARRISON_CANCEL_GRACE_MS ?? 5000);
/** A background process may keep the agent's pipes open after it exits; don't wait on it forever. */
const PIPE_DRAIN_MS = 2000;

/**
 * Runs one agent to its end, detached from any `docker exec`, writing every event to the log.
 * It owns the agent's process group so cancel reaches grandchildren too.
 */
export function supervise(missionId: string): void {
  const files = missionFiles(missionId);
  const spec = RunnerSpec.parse(JSON.parse(readFileSync(files.spec, 'utf8')));
  const log = new EventLog(files.events, spec.startSeq);
  writeFileSync(files.supervisorPid, String(process.pid));

  let finished = false;
  const finish = (result: MissionResultPayload): void => {
    if (finished) return;
    finished = true;
    log.append('mission.result', result);
    log.close();
    writeFileSync(files.finalized, result.outcome);
    process.exit(0);
  };

  const adapter = findAgentAdapter(spec.agent);
  if (!adapter) {
    finish({ outcome: 'spawn_failed', exitCode: null, signal: null, message: `no adapter for agent ${spec.agent}` });
    return;
  }
  const launch = adapter.buildLaunch(spec, { workspaceDir: process.env.GARRISON_WORKSPACE_DIR ?? WORKSPACE_DIR, homeDir: process.env.HOME ?? '/home/agent' });
  const child = spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

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
    const complete = (): void => {
      stdout.end();
      stderr.end();
      // Whatever the agent left running in its group ends with the mission.
      killGroup('SIGKILL');
      finish(
        canceledBy
          ? { outcome: 'canceled', exitCode, signal, canceledBy }
          : { outcome: 'exited', exitCode, signal },
      );
    };
    let pipesOpen = 2;
    const onClosed = (): void => {
      pipesOpen -= 1;
      if (pipesOpen === 0) complete();
    };
    child.stdout.once('close', onClosed);
    child.stderr.once('close', onClosed);
    if (child.stdout.closed) onClosed();
    if (child.stderr.closed) onClosed();
    setTimeout(complete, PIPE_DRAIN_MS).unref();
  });
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
