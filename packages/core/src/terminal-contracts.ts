import { z } from 'zod';

/**
 * The web terminal. Browser <-> API over Socket.IO (`TerminalEvent`); API -> worker: an open
 * request on the `terminal-sessions` queue, then Redis pub/sub channels per session:
 * `<prefix>:terminal:<sessionId>:in` (keystrokes), `:ctl` (resize, detach, close, flow control)
 * and `:out` (output and exit, to every API node). Each attach has its own `attachId`: a worker
 * acts only on messages of the attach it serves, and the API relays only its current attach's
 * output, so an older attach that lingers anywhere can neither type nor be read.
 */
export const TerminalEvent = {
  Open: 'terminal:open',
  Input: 'terminal:input',
  Resize: 'terminal:resize',
  Close: 'terminal:close',
  Output: 'terminal:output',
  Exit: 'terminal:exit',
} as const;

export const TerminalSessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);
/** A paste larger than this is sent in pieces by the client. */
export const TERMINAL_INPUT_MAX_CHARS = 64 * 1024;

export const TerminalOpenRequest = z.object({
  workspaceId: z.string().min(1),
  /** Kept by the client (sessionStorage) to reattach after a reload; a new id opens a new shell. */
  sessionId: TerminalSessionId.optional(),
  cols: Cols,
  rows: Rows,
});
export type TerminalOpenRequest = z.infer<typeof TerminalOpenRequest>;

export const TerminalInputRequest = z.object({ sessionId: TerminalSessionId, data: z.string().max(TERMINAL_INPUT_MAX_CHARS) });
export const TerminalResizeRequest = z.object({ sessionId: TerminalSessionId, cols: Cols, rows: Rows });
export const TerminalCloseRequest = z.object({ sessionId: TerminalSessionId });

export type TerminalOpenAck =
  | { ok: true; sessionId: string; reattached: boolean }
  | { ok: false; code: string; message: string };

/**
 * Why a terminal stream ended: `exited` the shell ended (code), `closed` someone closed it,
 * `detached` another tab or socket took it over, `idle` nobody attached for too long,
 * `lost` its worker went away (the shell lives on: reattach).
 */
export const TerminalExitReason = z.enum(['exited', 'closed', 'detached', 'idle', 'lost']);
export type TerminalExitReason = z.infer<typeof TerminalExitReason>;

export interface TerminalOutputMessage {
  sessionId: string;
  data: string;
}
export interface TerminalExitMessage {
  sessionId: string;
  code: number | null;
  reason: TerminalExitReason;
  message?: string;
}

/** `terminal-sessions` job: the worker attaches (or reattaches) an exec TTY to the session. */
export const TerminalOpenJob = z.object({
  sessionId: TerminalSessionId,
  workspaceId: z.string().min(1),
  attachId: z.string().min(1),
  cols: Cols,
  rows: Rows,
});
export type TerminalOpenJob = z.infer<typeof TerminalOpenJob>;

export const TerminalOpenResult = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type TerminalOpenResult = z.infer<typeof TerminalOpenResult>;

export const TerminalInputMessage = z.object({ attachId: z.string(), data: z.string() });
export type TerminalInputMessage = z.infer<typeof TerminalInputMessage>;

export const TerminalControlMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), attachId: z.string(), cols: Cols, rows: Rows }),
  /** The client went away: end this attach, keep the shell for a later one. */
  z.object({ type: z.literal('detach'), attachId: z.string() }),
  /** End the shell itself. */
  z.object({ type: z.literal('close'), attachId: z.string() }),
  /** The browser is behind: stop reading the TTY until `resume` (tmux drops and redraws). */
  z.object({ type: z.literal('pause'), attachId: z.string() }),
  z.object({ type: z.literal('resume'), attachId: z.string() }),
]);
export type TerminalControlMessage = z.infer<typeof TerminalControlMessage>;

/** On `:out`. `attachId` '*' addresses whoever is attached (a worker that restarted knows no attach). */
export const TerminalStreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('output'), attachId: z.string(), data: z.string() }),
  z.object({ type: z.literal('exit'), attachId: z.string(), code: z.number().int().nullable(), reason: TerminalExitReason, message: z.string().optional() }),
]);
export type TerminalStreamMessage = z.infer<typeof TerminalStreamMessage>;

/** What the API keeps per session in the `terminal-sessions` hash, for authorization and reaping. */
export const TerminalSessionRecord = z.object({
  workspaceId: z.string(),
  teamId: z.string(),
  userId: z.string(),
  hostId: z.string().nullable(),
  createdAt: z.string(),
});
export type TerminalSessionRecord = z.infer<typeof TerminalSessionRecord>;

/** A session nobody attached to for this long is ended by its worker. */
export const DEFAULT_TERMINAL_IDLE_MS = 15 * 60_000;
/** The API renews each attached session's lease this often; a crashed API stops renewing. */
export const TERMINAL_LEASE_MS = 60_000;

export type TerminalChannelKind = 'in' | 'out' | 'ctl';

export function terminalChannel(prefix: string, sessionId: string, kind: TerminalChannelKind): string {
  return `${prefix}:terminal:${sessionId}:${kind}`;
}

/** Hash sessionId -> TerminalSessionRecord JSON. */
export function terminalSessionsKey(prefix: string): string {
  return `${prefix}:terminal-sessions`;
}

/** Sorted set sessionId -> time (ms) until which a client is known to be attached. */
export function terminalLeasesKey(prefix: string): string {
  return `${prefix}:terminal-leases`;
}

export function terminalRoom(sessionId: string): string {
  return `terminal:${sessionId}`;
}

/** The tmux session inside the container; it outlives every attach until closed or idle. */
export function tmuxSessionName(sessionId: string): string {
  return `garrison-${sessionId}`;
}
