import type { LogBlock } from './mission-log';

export interface PendingApproval {
  approvalId: string;
  tool: string;
  summary: string;
  seq: number;
}

export interface PendingQuestion {
  inputId: string;
  question: string;
  options: string[];
  seq: number;
}

/**
 * What the agent is waiting on a person for, from the events shown so far: approvals without a
 * decision and questions without an answer, oldest first. Only event blocks are looked at, so
 * thousands of output lines cost nothing here.
 */
export function pendingRequests(blocks: readonly LogBlock[]): { approvals: PendingApproval[]; questions: PendingQuestion[] } {
  const approvals = new Map<string, PendingApproval>();
  const questions = new Map<string, PendingQuestion>();
  for (const block of blocks) {
    if (block.kind === 'result') {
      // A finished attempt answers nothing more: its open requests died with it.
      approvals.clear();
      questions.clear();
    }
    if (block.kind !== 'event') continue;
    const { type, payload, seq } = block.event;
    if (type === 'approval.requested' && typeof payload.approvalId === 'string') {
      approvals.set(payload.approvalId, {
        approvalId: payload.approvalId,
        tool: typeof payload.tool === 'string' ? payload.tool : 'a tool',
        summary: typeof payload.summary === 'string' ? payload.summary : '',
        seq,
      });
    } else if (type === 'approval.resolved' && typeof payload.approvalId === 'string') {
      approvals.delete(payload.approvalId);
    } else if (type === 'input.requested' && typeof payload.inputId === 'string') {
      const options = Array.isArray(payload.options) ? payload.options.filter((option): option is string => typeof option === 'string') : [];
      questions.set(payload.inputId, { inputId: payload.inputId, question: typeof payload.question === 'string' ? payload.question : '', options, seq });
    } else if (type === 'input.provided' && typeof payload.inputId === 'string') {
      questions.delete(payload.inputId);
    }
  }
  return { approvals: [...approvals.values()], questions: [...questions.values()] };
}
