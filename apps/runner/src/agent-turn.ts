import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentLaunch } from '@garrison/agents';
import type { OutputSink } from './agent-output.ts';

/** A background process may keep the agent's pipes open after it exits; don't wait on it forever. */
const PIPE_DRAIN_MS = 2000;

export interface TurnExit {
  exitCode: number | null;
  signal: string | null;
  /** The process could not be started at all (no such command, bad cwd). */
  spawnError?: string;
}

export interface RunningTurn {
  child: ChildProcess;
  exited: Promise<TurnExit>;
  /** Signals the whole process group, so grandchildren (the MCP server, shells) stop too. */
  signalGroup(signal: NodeJS.Signals): void;
}

/**
 * Starts one turn of the agent in a process group of its own and resolves once it exited and
 * its pipes were read to the end. Output goes to the sinks; `onOutput` feeds the watchdog.
 */
export function startTurn(
  launch: AgentLaunch,
  sinks: { stdout: OutputSink; stderr: OutputSink },
  hooks: {
    onOutput: () => void;
    /** Ends what the agent started outside its group (setsid, timeout) the moment it exits. */
    sweepEscaped: () => void;
  },
  spawnProcess: (launch: AgentLaunch) => ChildProcess,
): RunningTurn {
  try {
    for (const file of launch.files ?? []) {
      mkdirSync(dirname(file.path), { recursive: true, mode: 0o700 });
      writeFileSync(file.path, file.content, { mode: file.mode ?? 0o600 });
    }
  } catch (error) {
    const message = `could not write the agent's config: ${error instanceof Error ? error.message : String(error)}`;
    return { child: null as unknown as ChildProcess, exited: Promise.resolve({ exitCode: null, signal: null, spawnError: message }), signalGroup: () => {} };
  }
  const child = spawnProcess(launch);
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const exited = new Promise<TurnExit>((resolve) => {
    let done = false;
    const settle = (exit: TurnExit): void => {
      if (done) return;
      done = true;
      resolve(exit);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      hooks.onOutput();
      sinks.stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      hooks.onOutput();
      sinks.stderr.push(chunk);
    });
    child.on('error', (error) => settle({ exitCode: null, signal: null, spawnError: error.message }));
    child.on('exit', (exitCode, signal) => {
      // Whatever the agent left running ends with the turn, inside its group or not, before the
      // pipes are awaited (an escaped process would hold them open); output already in the pipes
      // is still read to the end.
      signalGroup('SIGKILL');
      hooks.sweepEscaped();
      const complete = (): void => {
        sinks.stdout.end();
        sinks.stderr.end();
        settle({ exitCode, signal });
      };
      let pipesOpen = 2;
      const onClosed = (): void => {
        pipesOpen -= 1;
        if (pipesOpen === 0) complete();
      };
      for (const pipe of [child.stdout, child.stderr]) {
        if (!pipe || pipe.closed) onClosed();
        else pipe.once('close', onClosed);
      }
      setTimeout(complete, PIPE_DRAIN_MS).unref();
    });
  });
  return { child, exited, signalGroup };
}
