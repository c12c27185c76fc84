import { writeFileSync } from 'node:fs';
import { livingSupervisorPid, type MissionFiles } from './mission-files.ts';

/**
 * Records who stopped the mission and why, then signals the supervisor, which stops the agent's
 * process group. `reason` is the gateway's `budget_exceeded`; a person's cancel has none.
 */
export function cancel(files: MissionFiles, by: string, reason?: string): { ok: boolean; reason?: string } {
  const pid = livingSupervisorPid(files);
  if (pid === null) return { ok: false, reason: 'not_running' };
  writeFileSync(files.cancel, JSON.stringify({ by, at: new Date().toISOString(), ...(reason ? { reason } : {}) }), { mode: 0o600 });
  process.kill(pid, 'SIGTERM');
  return { ok: true };
}
