import { RUNNER_BUNDLE } from '@garrison/core';
import type { RunnerGitAnswer, RunnerGitRequest } from '@garrison/core/runner-git';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

/** A diff of many files is large JSON; anything past this is not the runner speaking. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * `runner git` in the workspace container. The request rides on stdin, never in the command line
 * or the exec's env: that is how a repository credential reaches git without anything recording it.
 */
export async function runRunnerGit(runtime: ContainerRuntime, containerId: string, request: RunnerGitRequest, timeoutMs: number): Promise<RunnerGitAnswer> {
  const result = await runtime.execBinary(containerId, ['node', RUNNER_BUNDLE, 'git'], {
    input: Buffer.from(`${JSON.stringify(request)}\n`),
    timeoutMs,
    maxOutputBytes: MAX_ANSWER_BYTES,
  });
  if (result.timedOut) return { ok: false, code: 'git_failed', message: `git ${request.op} did not finish within ${Math.round(timeoutMs / 1000)} s.` };
  const line = result.stdout.toString('utf8').split('\n', 1)[0] ?? '';
  try {
    return JSON.parse(line) as RunnerGitAnswer;
  } catch {
    // An image without `runner git` (built before issue 9) says so on stderr.
    throw new Error(`runner git gave no answer (exit ${result.exitCode}): ${(result.stderr || line).slice(0, 300)}`);
  }
}
