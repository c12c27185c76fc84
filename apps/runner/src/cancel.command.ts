import { readFileSync, writeFileSync } from 'node:fs';
import { isSupervisorAlive, missionFiles } from './mission-files.ts';

/** Records who canceled, then signals the supervisor, which stops the agent's process group. */
export function cancel(missionId: string, by: string): { ok: boolean; reason?: string } {
  const files = missionFiles(missionId);
  if (!isSupervisorAlive(files, missionId)) return { ok: false, reason: 'not_running' };
  writeFileSync(files.cancel, JSON.stringify({ by, at: new Date().toISOString() }), { mode: 0o600 });
  process.kill(Number(readFileSync(files.supervisorPid, 'utf8')), 'SIGTERM');
  return { ok: true };
}
