import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { RunnerSpec } from '@garrison/core';
import { missionFiles } from './mission-files.ts';

/**
 * Reads the spec from stdin and starts the supervisor detached, unless this mission was launched
 * before (a restarted worker calls launch again): the exclusive spec write decides, so an agent is
 * never started twice for one mission.
 */
export async function launch(): Promise<{ missionId: string; started: boolean }> {
  const spec = RunnerSpec.parse(JSON.parse(await readStdin()));
  const files = missionFiles(spec.missionId);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  if (existsSync(files.spec)) return { missionId: spec.missionId, started: false };
  try {
    writeFileSync(files.spec, JSON.stringify(spec), { flag: 'wx', mode: 0o600 });
  } catch {
    return { missionId: spec.missionId, started: false };
  }
  const log = openSync(files.supervisorLog, 'a', 0o600);
  const supervisor = spawn(process.execPath, [process.argv[1]!, 'supervise', spec.missionId], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: '/',
  });
  supervisor.unref();
  return { missionId: spec.missionId, started: true };
}

/** Reads stdin up to the first newline: the worker keeps stdin open afterwards as a liveness signal. */
function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        process.stdin.off('data', onData);
        process.stdin.pause();
        resolve(text.slice(0, newline));
      }
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', () => (text.trim() ? resolve(text) : reject(new Error('no spec on stdin'))));
    process.stdin.once('error', reject);
  });
}
