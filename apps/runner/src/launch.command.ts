import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { RUNNER_EXIT_STATE_LOST, parseRunnerSpec } from '@garrison/core/runner-constants';
import { follow, type FollowOptions } from './follow.command.ts';
import { missionFiles } from './mission-files.ts';
import { superviseMission } from './supervise.ts';
import { createWaker } from './waker.ts';


/**
 * `launch`: the process the worker starts over `docker exec`, with the spec on stdin. The first
 * launch of a mission becomes its supervisor and also streams the log to the worker from the same
 * process (one node start, no polling). If the worker goes away (stdin closes) it stops streaming
 * and keeps supervising: the agent never depends on a worker. A later launch of the same mission
 * (a restarted worker) finds the spec already written and only follows; with --follow-only
 * (the mission already produced events) it never starts an agent.
 */
export async function launch(afterSeq: number, followOnly: boolean): Promise<number> {
  // Writes after the worker left must not crash the supervisor.
  process.stderr.on('error', () => {});
  const spec = parseRunnerSpec(JSON.parse(await readSpecLine()));
  const files = missionFiles(spec.missionId, undefined, spec.attempt);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  if (followOnly && !existsSync(files.spec)) {
    // The mission ran before, yet its state is gone (volume replaced): starting the agent again
    // would quietly redo the work under the old mission. Say so and start nothing.
    process.stderr.write(`mission ${spec.missionId} ran before but its runner state is gone\n`);
    return RUNNER_EXIT_STATE_LOST;
  }
  if (!claimMission(files.spec, JSON.stringify(spec))) return follow(files, spec.missionId, afterSeq);

  const waker = createWaker();
  const options: FollowOptions = { waker, exitWhenWorkerGone: false };
  const supervised = superviseMission(spec, files, () => waker.wake());
  const streamed = follow(files, spec.missionId, afterSeq, options);
  await supervised;
  waker.wake();
  await streamed;
  return 0;
}

/** The exclusive write of spec.json decides which launch supervises: an agent never starts twice. */
function claimMission(path: string, spec: string): boolean {
  if (existsSync(path)) return false;
  try {
    writeFileSync(path, spec, { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/** Reads stdin up to the first newline; the worker keeps stdin open afterwards as a liveness signal. */
function readSpecLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        process.stdin.off('data', onData);
        resolve(text.slice(0, newline));
      }
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', () => (text.trim() ? resolve(text) : reject(new Error('no spec on stdin'))));
    process.stdin.once('error', reject);
  });
}
