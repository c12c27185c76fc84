import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@garrison/testkit';
import { killMissionProcesses } from '../src/process-sweep.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('killMissionProcesses', () => {
  it('kills processes of the mission that left its process group, and nothing else', async () => {
    const escaped = spawn('setsid', ['sleep', '30'], { env: { ...process.env, GARRISON_MISSION_ID: 'sweeptest1' }, stdio: 'ignore', detached: true });
    const bystander = spawn('sleep', ['30'], { env: { ...process.env, GARRISON_MISSION_ID: 'othermission' }, stdio: 'ignore' });
    await waitFor(() => escaped.pid !== undefined && bystander.pid !== undefined);
    // setsid forks: the sleep it leaves behind is found by its environment, not by its parent.
    await waitFor(() => killMissionProcesses('sweeptest1') > 0, { what: 'the escaped sleep to be found' });
    await waitFor(() => !alive(escaped.pid!) || escaped.exitCode !== null || escaped.signalCode !== null, { what: 'escaped process gone' });
    expect(alive(bystander.pid!)).toBe(true);
    bystander.kill('SIGKILL');
  });
});
