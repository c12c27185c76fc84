import { z } from 'zod';

/**
 * The mission state machine. `transitionMission` is the only way a status may change; callers
 * persist the result with a conditional update on the previous status so that two processes
 * racing on one mission cannot both win.
 */
export const MissionStatus = z.enum([
  'queued',
  'provisioning',
  'running',
  'waiting_input',
  'waiting_approval',
  'completed',
  'failed',
  'canceled',
  'blocked',
  'interrupted',
]);
export type MissionStatus = z.infer<typeof MissionStatus>;

export const TERMINAL_STATUSES: readonly MissionStatus[] = [
  'completed',
  'failed',
  'canceled',
  'blocked',
  'interrupted',
];

const ACTIVE_AFTER_START: MissionStatus[] = ['running', 'waiting_input', 'waiting_approval'];

const ALLOWED: Record<MissionStatus, readonly MissionStatus[]> = {
  queued: ['provisioning', 'canceled', 'failed'],
  provisioning: ['running', 'failed', 'canceled', 'interrupted'],
  running: ['waiting_input', 'waiting_approval', ...TERMINAL_STATUSES],
  waiting_input: ['running', ...TERMINAL_STATUSES],
  waiting_approval: ['running', ...TERMINAL_STATUSES],
  completed: [],
  failed: [],
  canceled: [],
  blocked: [],
  interrupted: [],
};

export function isTerminalStatus(status: MissionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isActiveStatus(status: MissionStatus): boolean {
  return ACTIVE_AFTER_START.includes(status);
}

export function canTransition(from: MissionStatus, to: MissionStatus): boolean {
  return ALLOWED[from].includes(to);
}

export interface MissionTransition {
  from: MissionStatus;
  to: MissionStatus;
  reason: string | null;
}

/** Terminal states must say why; a bare "failed" tells an operator nothing. */
export function transitionMission(
  from: MissionStatus,
  to: MissionStatus,
  reason: string | null = null,
): MissionTransition {
  if (!canTransition(from, to)) {
    throw new Error(`illegal mission transition ${from} -> ${to}`);
  }
  if (isTerminalStatus(to) && !reason) {
    throw new Error(`terminal status ${to} needs a reason`);
  }
  return { from, to, reason };
}

/** Statuses from which a transition to `to` is legal: used to build conditional updates. */
export function statusesThatMayBecome(to: MissionStatus): MissionStatus[] {
  return MissionStatus.options.filter((from) => canTransition(from, to));
}
