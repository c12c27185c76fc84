import { readdirSync, readFileSync } from 'node:fs';

/**
 * Kills every process that still carries this mission's GARRISON_MISSION_ID in its environment.
 * Killing the agent's process group is not enough: `setsid`, `timeout` and daemonizing tools
 * leave the group, and would otherwise outlive the mission, hold its pipes open and keep the
 * workspace at its pids limit. The environment is inherited through all of those.
 */
export function killMissionProcesses(missionId: string, procDir = '/proc'): number {
  const marker = `GARRISON_MISSION_ID=${missionId}\0`;
  let killed = 0;
  for (const entry of readdirSync(procDir)) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`${procDir}/${entry}/environ`, 'latin1').includes(marker)) continue;
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return killed;
}
