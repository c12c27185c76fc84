import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  CHANNEL_DIRS,
  OUTCOME_FILE,
  type ChannelRequest,
  type ChannelResponse,
  type DeclaredOutcome,
} from '@garrison/core/mission-channel';
import { ToolError } from './tool-result.ts';

/** fs.watch misses events on some volumes and overlay mounts; the poll is the fallback, not the clock. */
const POLL_MS = 250;

export type ApprovalAnswer = Extract<ChannelResponse, { kind: 'approval' }>;
export type InputAnswer = Extract<ChannelResponse, { kind: 'input' }>;
type ApprovalAsk = Omit<Extract<ChannelRequest, { kind: 'approval' }>, 'id' | 'kind' | 'ts'>;
type InputAsk = Omit<Extract<ChannelRequest, { kind: 'input' }>, 'id' | 'kind' | 'ts'>;

/** Asks a person (through the runner and the worker) to allow or deny one tool use; waits for them. */
export async function requestApproval(missionDir: string, ask: ApprovalAsk, signal?: AbortSignal): Promise<ApprovalAnswer> {
  return (await exchange(missionDir, { ...ask, id: newChannelId(), kind: 'approval', ts: now() }, signal)) as ApprovalAnswer;
}

/** Asks a person a question; waits for their text. */
export async function requestInput(missionDir: string, ask: InputAsk, signal?: AbortSignal): Promise<InputAnswer> {
  return (await exchange(missionDir, { ...ask, id: newChannelId(), kind: 'input', ts: now() }, signal)) as InputAnswer;
}

/** The agent's own verdict; the runner reads it when the agent exits, so the last write wins. */
export async function writeOutcome(missionDir: string, outcome: Omit<DeclaredOutcome, 'ts'>): Promise<void> {
  await writeJsonAtomic(join(missionDir, OUTCOME_FILE), { ...outcome, ts: now() });
}

/** Time first so a directory listing sorts by age; the random part keeps concurrent asks apart. */
export function newChannelId(): string {
  return `${Date.now().toString(36)}-${randomBytes(9).toString('base64url')}`;
}

/**
 * Writes the request, then waits with no deadline of its own: a person may answer hours later,
 * and what ends a wait is the agent cancelling the call or the mission's cancel ending the process.
 */
async function exchange(missionDir: string, request: ChannelRequest, signal?: AbortSignal): Promise<ChannelResponse> {
  const responses = join(missionDir, CHANNEL_DIRS.responses);
  await mkdir(responses, { recursive: true, mode: 0o700 });
  // Watch before the request exists, so an answer faster than the watcher cannot be missed.
  const answer = waitForFile(join(responses, `${request.id}.json`), signal);
  try {
    await writeJsonAtomic(join(missionDir, CHANNEL_DIRS.requests, `${request.id}.json`), request);
  } catch (error) {
    answer.cancel();
    throw error;
  }
  return parseResponse(await answer.text, request);
}

function waitForFile(path: string, signal?: AbortSignal): { text: Promise<string>; cancel: () => void } {
  let cancel = (): void => {};
  const text = new Promise<string>((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    let reading = false;
    let done = false;
    const finish = (): void => {
      done = true;
      watcher?.close();
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const check = async (): Promise<void> => {
      if (done || reading) return;
      reading = true;
      try {
        const content = await readFile(path, 'utf8');
        if (!done) {
          finish();
          resolve(content);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !done) {
          finish();
          reject(new ToolError(`Could not read the answer: ${(error as Error).message}`, 'Ask again; if it keeps failing, finish with complete_mission status blocked.'));
        }
      } finally {
        reading = false;
      }
    };
    const onAbort = (): void => {
      finish();
      reject(new ToolError('The wait for an answer was cancelled.', 'Ask again if you still need the answer.'));
    };
    const timer = setInterval(() => void check(), POLL_MS);
    try {
      watcher = watch(dirname(path), (_event, name) => {
        if (name === null || name === basename(path)) void check();
      });
      // A watcher that dies (its folder removed) leaves the poll in charge.
      watcher.on('error', () => watcher?.close());
    } catch {
      // Same: the poll alone still finds the answer.
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    cancel = () => {
      if (!done) finish();
    };
    void check();
  });
  return { text, cancel };
}

/** A bad answer file is the agent's problem to route around, never a crash of the server. */
function parseResponse(text: string, request: ChannelRequest): ChannelResponse {
  const malformed = (why: string): ToolError =>
    new ToolError(`The answer to request ${request.id} is malformed (${why}).`, 'Ask again, or carry on without it and say so in your summary.');
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw malformed('not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw malformed('not an object');
  if (value.id !== request.id) throw malformed('its id is not the request id');
  if (value.kind !== request.kind) throw malformed(`kind is ${JSON.stringify(value.kind)}, expected ${request.kind}`);
  if (typeof value.by !== 'string') throw malformed('by is missing');
  const ts = typeof value.ts === 'string' ? value.ts : '';
  if (value.kind === 'approval') {
    if (value.decision !== 'allow' && value.decision !== 'deny') throw malformed('decision is neither allow nor deny');
    if (value.message !== undefined && typeof value.message !== 'string') throw malformed('message is not text');
    const message = typeof value.message === 'string' ? { message: value.message } : {};
    return { id: request.id, kind: 'approval', decision: value.decision, by: value.by, ts, ...message };
  }
  if (typeof value.text !== 'string') throw malformed('text is missing');
  return { id: request.id, kind: 'input', text: value.text, by: value.by, ts };
}

/**
 * Temporary name in the same folder (so rename is atomic) that does not end in .json, so a
 * reader listing *.json never picks up half a file. Mode 0600: answers can hold secrets.
 */
async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function now(): string {
  return new Date().toISOString();
}
