import type { Job } from 'bullmq';
import { TerminalOpenJob, type TerminalOpenResult } from '@garrison/core';
import type { TerminalSessions } from './terminal-sessions.ts';

/** `terminal-sessions` queue (request/response): attach a TTY to a session; the API waits for the answer. */
export function createOpenTerminalJob(sessions: TerminalSessions) {
  return async (job: Job<unknown>): Promise<TerminalOpenResult> => sessions.open(TerminalOpenJob.parse(job.data));
}
