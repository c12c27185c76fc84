import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missionStateDir } from '@garrison/core';

/** Where one mission's runner state lives on the volume, so it outlives any worker. */
export function missionFiles(missionId: string, root = process.env.GARRISON_RUNNER_STATE_DIR) {
  const dir = root ? join(root, missionId) : missionStateDir(missionId);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    events: join(dir, 'events.jsonl'),
    supervisorPid: join(dir, 'supervisor.pid'),
    supervisorLog: join(dir, 'supervisor.log'),
    cancel: join(dir, 'cancel.json'),
    finalized: join(dir, 'finalized'),
  };
}
export type MissionFiles = ReturnType<typeof missionFiles>;

/** True when the supervisor of this mission still runs (a recycled pid does not count). */
export function isSupervisorAlive(files: MissionFiles, missionId: string): boolean {
  if (!existsSync(files.supervisorPid)) return false;
  const pid = Number(readFileSync(files.supervisorPid, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('supervise') && cmdline.includes(missionId);
  } catch {
    return false;
  }
}
