import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MissionResultPayload } from '@garrison/core';
import { WORKSPACE_DIR, type RunnerSpec } from '@garrison/core/runner-constants';
import { findAgentAdapter } from '@garrison/agents';
import { EventLog } from './event-log.ts';
import { supervisorIdentity, type MissionFiles } from './mission-files.ts';
import { OutputSplitter } from './output-splitter.ts';

/** After SIGTERM an agent gets this long to exit before its whole process group is killed. */
const CANCEL_GRACE_MS = Number(process.env.GARRISON_CANCEL_GRACE_MS ?? 5000);
/** A background process may keep the agent's pipes open after it exits; don't wait on it forever. */
const PIPE_DRAIN_MS = 2000;

/**
 * Runs one agent to its end and writes every event to the log. It owns the agent's process group
 * so cancel reaches grandchildren too. Resolves once `mission.result` is on disk.
 */
export function superviseMission(spec: RunnerSpec, files: MissionFiles, onFlushed: () => void): Promise<void> {
  const log = new EventLog(files.events, spec.startSeq, onFlushed);
  writeFileSync(files.supervisorPid, supervisorIdentity(process.pid) ?? String(process.pid));

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
    });
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
        finish(canceledBy ? { outcome: 'canceled', exitCode, signal, canceledBy } : { outcome: 'exited', exitCode, signal });
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

function readCanceledBy(path: string): string {
  if (!existsSync(path)) return 'unknown';
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { by?: unknown };
    return typeof parsed.by === 'string' ? parsed.by : 'unknown';
  } catch {
    return 'unknown';
  }
}
