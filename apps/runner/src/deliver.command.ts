import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isChannelId, type ChannelRequest, type ChannelResponse, type InboxMessage } from '@garrison/core/mission-channel';
import { writeFileAtomically } from './atomic-file.ts';
import { isSupervisorAlive, type MissionFiles } from './mission-files.ts';

export type DeliveryResult = { ok: true; duplicate?: true } | { ok: false; reason: 'not_running' | 'no_such_request' | 'already_answered' | 'bad_input' };

/**
 * `runner message`: a follow-up into the attempt's inbox (the supervisor gives it to the agent
 * when its turn ends). Idempotent by message id: the worker may deliver a job twice.
 */
export function deliverMessage(files: MissionFiles, message: InboxMessage): DeliveryResult {
  if (!isChannelId(message.id) || typeof message.text !== 'string' || typeof message.by !== 'string') return { ok: false, reason: 'bad_input' };
  const path = join(files.inbox, `${message.id}.json`);
  if (existsSync(path)) return { ok: true, duplicate: true };
  if (!isAcceptingMessages(files)) return { ok: false, reason: 'not_running' };
  writeFileAtomically(path, JSON.stringify({ ...message, ts: message.ts || new Date().toISOString() }));
  return { ok: true };
}

/** `runner answer`: a person's decision or answer to a pending request of the workspace MCP. */
export function deliverAnswer(files: MissionFiles, response: ChannelResponse): DeliveryResult {
  if (!isChannelId(response.id) || typeof response.by !== 'string') return { ok: false, reason: 'bad_input' };
  const requestPath = join(files.requests, `${response.id}.json`);
  if (!existsSync(requestPath)) return { ok: false, reason: 'no_such_request' };
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as ChannelRequest;
  if (request.kind !== response.kind) return { ok: false, reason: 'bad_input' };
  const path = join(files.responses, `${response.id}.json`);
  if (existsSync(path)) return { ok: false, reason: 'already_answered' };
  if (!isAcceptingMessages(files)) return { ok: false, reason: 'not_running' };
  writeFileAtomically(path, JSON.stringify({ ...response, ts: response.ts || new Date().toISOString() }));
  return { ok: true };
}

function isAcceptingMessages(files: MissionFiles): boolean {
  return !existsSync(files.finalized) && isSupervisorAlive(files);
}
