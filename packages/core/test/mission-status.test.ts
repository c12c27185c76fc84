import { describe, expect, it } from 'vitest';
import {
  MissionStatus,
  TERMINAL_STATUSES,
  canTransition,
  isTerminalStatus,
  statusesThatMayBecome,
  transitionMission,
} from '../src/index.ts';

describe('mission state machine', () => {
  it('walks the happy path from queued to completed', () => {
    expect(canTransition('queued', 'provisioning')).toBe(true);
    expect(canTransition('provisioning', 'running')).toBe(true);
    expect(canTransition('running', 'completed')).toBe(true);
  });

  it('never leaves a terminal state', () => {
    for (const terminal of TERMINAL_STATUSES) {
      for (const next of MissionStatus.options) expect(canTransition(terminal, next)).toBe(false);
    }
  });

  it('lets cancel end a mission in every open state', () => {
    for (const open of MissionStatus.options.filter((status) => !isTerminalStatus(status))) {
      expect(canTransition(open, 'canceled'), open).toBe(true);
    }
  });

  it('does not skip provisioning or go back to queued', () => {
    expect(canTransition('queued', 'running')).toBe(false);
    expect(canTransition('running', 'queued')).toBe(false);
    expect(canTransition('provisioning', 'queued')).toBe(false);
  });

  it('demands a reason for every terminal state', () => {
    expect(() => transitionMission('running', 'failed')).toThrow(/needs a reason/);
    expect(transitionMission('running', 'failed', 'exit_code:1')).toEqual({ from: 'running', to: 'failed', reason: 'exit_code:1' });
  });

  it('refuses illegal transitions loudly', () => {
    expect(() => transitionMission('completed', 'running')).toThrow(/illegal mission transition completed -> running/);
  });

  it('lists the statuses a conditional update may start from', () => {
    expect(statusesThatMayBecome('provisioning')).toEqual(['queued']);
    expect(statusesThatMayBecome('interrupted')).toEqual(['provisioning', 'running', 'waiting_input', 'waiting_approval']);
  });
});
