import { spawn } from 'node:child_process';
import { ToolError } from './tool-result.ts';

export interface ProcessOutcome {
  /** Exit code, or null when the process was killed (timeout, overflow) or died of a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** stdout passed maxStdoutBytes: the process was killed and stdout holds only its head. */
  overflowed: boolean;
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxStdoutBytes: number;
}

const MAX_STDERR_BYTES = 64 * 1024;

/**
 * Runs a program from an argv array, never through a shell, so nothing an agent passes can be
 * read as shell syntax. Output is decoded once at the end so a multi-byte character split across
 * chunks survives; a process that talks too much is killed rather than buffered without bound.
 */
export function runProcess(file: string, args: string[], options: RunOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let timedOut = false;
    let overflowed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      stdout.push(chunk);
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxStdoutBytes) {
        overflowed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes >= MAX_STDERR_BYTES) return;
      stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolError(`Could not run ${file}: ${error.message}`, `The workspace image should provide ${file}; check with bash.`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        overflowed,
      });
    });
  });
}
