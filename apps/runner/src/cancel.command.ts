import { writeFileSync } from 'node:fs';
import { livingSupervisorPid, missionFiles } from './mission-files.ts';

/** Records who canceled, then signals the supervisor, which stops the agent's process group. */
export function cancel(missionId: string, by: string): { ok: boolean; reason?: string } {
  const files = missionFiles(missionId);
  const pid = livingSupervisorPid(files);
  if (pid === null) return { ok: false, reason: 'not_running' };
  writeFileSync(files.cancel, JSON.stringify({ by, at: new Date().toISOString() }), { mode: 0o600 });
  process.kill(pid, 'SIGTERM');
  return { ok: true };
}
