import { RUNNER_BUNDLE, type MissionControlMessage } from '@garrison/core';
import type { MissionRunnerDeps } from './mission-runner.service.ts';

type Delivery = Extract<MissionControlMessage, { action: 'message' | 'approval' }>;

/**
 * Hands a follow-up, an answer or an approval decision to the runner (`runner message|answer`,
 * JSON on stdin: a person's text never goes through argv). Returns the runner's verdict:
 * ok, duplicate, not_running, no_such_request, already_answered or bad_input.
 */
export async function deliverToRunner(deps: Pick<MissionRunnerDeps, 'runtime'>, containerId: string, message: Delivery): Promise<string> {
  const ts = new Date().toISOString();
  const [command, body] =
    message.action === 'approval'
      ? ['answer', { id: message.approvalId, kind: 'approval', decision: message.decision, by: message.actor, ts, ...(message.message ? { message: message.message } : {}) }]
      : message.inputId
        ? ['answer', { id: message.inputId, kind: 'input', text: message.text, by: message.actor, ts }]
        : ['message', { id: message.messageId, text: message.text, by: message.actor, ts }];
  const result = await deps.runtime.execBinary(containerId, ['node', RUNNER_BUNDLE, command, message.missionId], {
    input: Buffer.from(JSON.stringify(body)),
    timeoutMs: 30_000,
    maxOutputBytes: 64 * 1024,
  });
  const verdict = parseVerdict(result.stdout.toString('utf8'));
  if (!verdict) throw new Error(`runner ${command} failed (exit ${result.exitCode}): ${result.stderr.slice(0, 300)}`);
  return verdict;
}

function parseVerdict(stdout: string): string | null {
  try {
    const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { ok?: boolean; duplicate?: boolean; reason?: string };
    if (parsed.ok) return parsed.duplicate ? 'duplicate' : 'ok';
    return typeof parsed.reason === 'string' ? parsed.reason : null;
  } catch {
    return null;
  }
}
