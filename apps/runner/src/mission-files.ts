import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missionStateDir } from '@garrison/core/runner-constants';

/** Where one mission's runner state lives on the volume, so it outlives any worker. */
export function missionFiles(missionId: string, root = process.env.GARRISON_RUNNER_STATE_DIR) {
  const dir = root ? join(root, missionId) : missionStateDir(missionId);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    events: join(dir, 'events.jsonl'),
    supervisorPid: join(dir, 'supervisor.pid'),
    cancel: join(dir, 'cancel.json'),
    finalized: join(dir, 'finalized'),
  };
}
export type MissionFiles = ReturnType<typeof missionFiles>;

/**
 * The supervisor's identity: its pid plus its start time. After a container restart pids start
 * over, so a pid alone could name another mission's process; the start time cannot repeat.
 */
export function supervisorIdentity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counts from after the command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} ${fields[19]}`;
  } catch {
    return null;
  }
}

/** The pid of this mission's supervisor when it still runs, else null. */
export function livingSupervisorPid(files: MissionFiles): number | null {
  if (!existsSync(files.supervisorPid)) return null;
  const recorded = readFileSync(files.supervisorPid, 'utf8').trim();
  const pid = Number(recorded.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return supervisorIdentity(pid) === recorded ? pid : null;
}

export function isSupervisorAlive(files: MissionFiles): boolean {
  return livingSupervisorPid(files) !== null;
}
