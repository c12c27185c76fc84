import { describe, expect, it } from 'vitest';
import { MissionResultPayload, outcomeOfLostContainer, outcomeOfResult } from '../src/index.ts';

describe('outcomeOfResult', () => {
  it('completes on exit code 0 and fails with the code otherwise', () => {
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 0, signal: null })).toEqual({ status: 'completed', reason: 'exit_code:0' });
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 3, signal: null })).toEqual({ status: 'failed', reason: 'exit_code:3' });
    expect(outcomeOfResult({ outcome: 'exited', exitCode: null, signal: 'SIGKILL' })).toEqual({ status: 'failed', reason: 'signal:SIGKILL' });
  });

  it('names who canceled', () => {
    expect(outcomeOfResult({ outcome: 'canceled', exitCode: null, signal: 'SIGTERM', canceledBy: 'ada@example.com' })).toEqual({
      status: 'canceled',
      reason: 'canceled_by:ada@example.com',
    });
  });

  it('reports a lost runner as interrupted, never as completed', () => {
    expect(outcomeOfResult({ outcome: 'runner_lost', exitCode: null, signal: null })).toEqual({ status: 'interrupted', reason: 'runner_lost' });
    expect(outcomeOfResult({ outcome: 'spawn_failed', exitCode: null, signal: null, message: 'ENOENT' }).status).toBe('failed');
  });

  it('fails a mission whose agent was OOM-killed with reason oom, whatever the code or signal', () => {
    expect(outcomeOfResult({ outcome: 'exited', exitCode: null, signal: 'SIGKILL', oomKilled: true })).toEqual({ status: 'failed', reason: 'oom' });
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 137, signal: null, oomKilled: true })).toEqual({ status: 'failed', reason: 'oom' });
  });

  it('keeps an agent that recovered from a kill in its workspace completed, and a cancel a cancel', () => {
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 0, signal: null, oomKilled: true })).toEqual({ status: 'completed', reason: 'exit_code:0' });
    expect(outcomeOfResult({ outcome: 'canceled', exitCode: null, signal: 'SIGTERM', canceledBy: 'ada@example.com', oomKilled: true })).toEqual({
      status: 'canceled',
      reason: 'canceled_by:ada@example.com',
    });
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 137, signal: null, oomKilled: false })).toEqual({ status: 'failed', reason: 'exit_code:137' });
  });

  it('tells an OOM kill from a vanished container', () => {
    expect(outcomeOfLostContainer({ oomKilled: true })).toEqual({ status: 'interrupted', reason: 'oom' });
    expect(outcomeOfLostContainer(null)).toEqual({ status: 'interrupted', reason: 'container_lost' });
    expect(outcomeOfLostContainer({ oomKilled: false, exitCode: 137 })).toEqual({ status: 'interrupted', reason: 'container_lost' });
    expect(outcomeOfLostContainer({ oomKilled: false, exitCode: 143 })).toEqual({ status: 'interrupted', reason: 'server_shutdown' });
  });

  it('names the watchdog, the limits, a failed resume and the agent\'s own verdict', () => {
    const base = { exitCode: null, signal: 'SIGTERM' };
    expect(outcomeOfResult({ outcome: 'unresponsive', ...base })).toEqual({ status: 'failed', reason: 'agent_unresponsive' });
    expect(outcomeOfResult({ outcome: 'budget_exceeded', ...base })).toEqual({ status: 'failed', reason: 'budget_exceeded' });
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 1, signal: null, resumed: true })).toEqual({ status: 'failed', reason: 'resume_failed:exit_code:1' });
    const declared = (status: 'completed' | 'blocked' | 'not_feasible') => outcomeOfResult({ outcome: 'exited', exitCode: 0, signal: null, declared: { status, summary: 's' } });
    expect(declared('completed')).toEqual({ status: 'completed', reason: 'agent_completed' });
    expect(declared('blocked')).toEqual({ status: 'blocked', reason: 'agent_blocked' });
    expect(declared('not_feasible')).toEqual({ status: 'blocked', reason: 'not_feasible' });
    // A verdict never hides a crash: a non-zero exit fails whatever the agent declared.
    expect(outcomeOfResult({ outcome: 'exited', exitCode: 2, signal: null, declared: { status: 'completed', summary: 's' } })).toEqual({ status: 'failed', reason: 'exit_code:2' });
  });
});

describe('event schema', () => {
  it('rejects a result without an outcome', () => {
    expect(MissionResultPayload.safeParse({ exitCode: 0, signal: null }).success).toBe(false);
  });

  it('accepts oomKilled as an optional boolean', () => {
    expect(MissionResultPayload.parse({ outcome: 'exited', exitCode: 137, signal: null, oomKilled: true }).oomKilled).toBe(true);
    expect(MissionResultPayload.parse({ outcome: 'exited', exitCode: 0, signal: null }).oomKilled).toBeUndefined();
    expect(MissionResultPayload.safeParse({ outcome: 'exited', exitCode: 137, signal: null, oomKilled: 'yes' }).success).toBe(false);
  });
});
