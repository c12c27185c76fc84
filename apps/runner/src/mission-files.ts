import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { missionStateDir } from '@garrison/core/runner-constants';
import { CHANNEL_DIRS, OUTCOME_FILE } from '@garrison/core/mission-channel';

/**
 * Where one mission's runner state lives on the volume, so it outlives any worker. Each attempt
 * (the first run, then each follow-up to an ended mission) has a directory of its own with its
 * own log, claim and channel; the agent's own state (`agent/`: sessions, config) is the
 * mission's and carries over, which is what lets a follow-up resume the session.
 */
export function missionFiles(missionId: string, root = process.env.GARRISON_RUNNER_STATE_DIR, attempt = 1) {
  const missionDir = root ? join(root, missionId) : missionStateDir(missionId);
  const dir = join(missionDir, `attempt-${attempt}`);
  return {
    missionDir,
    attempt,
    dir,
    agentDir: join(missionDir, 'agent'),
    spec: join(dir, 'spec.json'),
    events: join(dir, 'events.jsonl'),
    supervisorPid: join(dir, 'supervisor.pid'),
    cancel: join(dir, 'cancel.json'),
    finalized: join(dir, 'finalized'),
    requests: join(dir, CHANNEL_DIRS.requests),
    responses: join(dir, CHANNEL_DIRS.responses),
    inbox: join(dir, CHANNEL_DIRS.inbox),
    outcome: join(dir, OUTCOME_FILE),
  };
}
export type MissionFiles = ReturnType<typeof missionFiles>;

/** The newest attempt's files: commands that are not told an attempt act on the current one. */
export function latestMissionFiles(missionId: string, root = process.env.GARRISON_RUNNER_STATE_DIR): MissionFiles {
  const missionDir = missionFiles(missionId, root).missionDir;
  let latest = 1;
  try {
    for (const name of readdirSync(missionDir)) {
      const match = /^attempt-(\d+)$/.exec(name);
      if (match) latest = Math.max(latest, Number(match[1]));
    }
  } catch {
    // No state yet: attempt 1.
  }
  return missionFiles(missionId, root, latest);
}

/** `--attempt N` when given, else the newest attempt. */
export function filesForCommand(missionId: string, attempt: string | undefined): MissionFiles {
  const number = Number(attempt);
  return attempt !== undefined && Number.isInteger(number) && number >= 1 ? missionFiles(missionId, undefined, number) : latestMissionFiles(missionId);
}

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
