import { io, type Socket } from 'socket.io-client';
import { TerminalEvent, type TerminalExitMessage, type TerminalOpenAck, type TerminalOutputMessage } from '@garrison/core';

export type TerminalState = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'detached' | 'refused';

export interface TerminalSink {
  /** Starts over: the server is about to redraw the session (and its history) from scratch. */
  reset(): void;
  write(data: string): void;
  size(): { cols: number; rows: number };
  onState(state: TerminalState, message: string | null): void;
}

export interface TerminalStream {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ends the shell for good; the next `reopen` starts a new one. */
  end(): void;
  /** After an end or a detach: attach again (to the same session if it lives, else a new one). */
  reopen(): void;
  close(): void;
}

const ACK_TIMEOUT_MS = 30_000;
const LOST_RETRY_MS = 1_000;
const PASTE_PIECE = 16 * 1024;
const RETRY_AFTER_MS = 3_000;
const RETRYABLE = new Set(['service_unavailable', 'internal_error']);

/** The session id a tab keeps, so a reload reattaches to the same shell (and other tabs get their own). */
function sessionKey(workspaceId: string): string {
  return `garrison:terminal:${workspaceId}`;
}

function storedSession(workspaceId: string): string | undefined {
  try {
    return sessionStorage.getItem(sessionKey(workspaceId)) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeSession(workspaceId: string, sessionId: string | null): void {
  try {
    if (sessionId) sessionStorage.setItem(sessionKey(workspaceId), sessionId);
    else sessionStorage.removeItem(sessionKey(workspaceId));
  } catch {
    // Private mode without storage: the shell still works, a reload starts a new one.
  }
}

/** crypto.randomUUID needs a secure context; getRandomValues works on plain http too. */
function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const ENDED: Record<TerminalExitMessage['reason'], string> = {
  exited: 'The shell ended',
  closed: 'The session was closed',
  idle: 'The session was closed after being left alone too long',
  detached: 'This terminal is open in another tab or window',
  lost: 'The connection to the workspace was lost',
};

/**
 * One web terminal over Socket.IO on this origin (proxied to the API). On every connect, first
 * or after a drop, it opens the session id this tab keeps: the server reattaches to the same
 * tmux session and redraws it, history included, into a reset terminal, so nothing is doubled.
 */
export function openTerminalStream(workspaceId: string, sink: TerminalSink): TerminalStream {
  const socket: Socket = io({ path: '/socket.io', transports: ['polling', 'websocket'], withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
  let sessionId: string | undefined = storedSession(workspaceId);
  let attached = false;
  let closed = false;
  let attempt = 0;

  const open = async (): Promise<void> => {
    const mine = ++attempt;
    attached = false;
    // Named here, not by the server: the shell's first output may come before the answer.
    sessionId ??= newSessionId();
    sink.reset();
    const { cols, rows } = sink.size();
    let ack: TerminalOpenAck;
    try {
      ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(TerminalEvent.Open, { workspaceId, sessionId, cols, rows })) as TerminalOpenAck;
    } catch {
      if (mine === attempt && !closed && socket.connected) void open();
      return;
    }
    if (mine !== attempt || closed) return;
    if (!ack.ok) {
      // A worker restarting (or a passing failure) may answer in a moment: ask again.
      if (RETRYABLE.has(ack.code)) {
        sink.onState('reconnecting', ack.message);
        setTimeout(() => {
          if (mine === attempt && !closed && socket.connected) void open();
        }, RETRY_AFTER_MS);
        return;
      }
      sink.onState('refused', ack.message);
      return;
    }
    sessionId = ack.sessionId;
    storeSession(workspaceId, sessionId);
    attached = true;
    sink.onState('connected', null);
  };

  socket.on('connect', () => void open());
  socket.on('disconnect', (reason) => {
    attached = false;
    attempt += 1;
    if (!closed) sink.onState('reconnecting', null);
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.message === 'unauthenticated' || error.data?.code === 'unauthenticated') sink.onState('refused', 'Your session has ended; sign in again.');
  });
  socket.on(TerminalEvent.Output, (message: TerminalOutputMessage) => {
    if (message.sessionId === sessionId) sink.write(message.data);
  });
  socket.on(TerminalEvent.Exit, (message: TerminalExitMessage) => {
    if (message.sessionId !== sessionId) return;
    attached = false;
    attempt += 1;
    if (message.reason === 'lost') {
      // The shell lives on in tmux; its worker went away. Attach again through another.
      sink.onState('reconnecting', ENDED.lost);
      setTimeout(() => {
        if (!closed && socket.connected) void open();
      }, LOST_RETRY_MS);
      return;
    }
    if (message.reason === 'detached') {
      sink.onState('detached', `${ENDED.detached}.`);
      return;
    }
    sessionId = undefined;
    storeSession(workspaceId, null);
    const code = message.code !== null && message.reason === 'exited' ? ` (exit code ${message.code})` : '';
    sink.onState('ended', `${ENDED[message.reason]}${code}.`);
  });

  return {
    input(data) {
      if (!attached) return;
      // A large paste goes in pieces the server accepts (TERMINAL_INPUT_MAX_CHARS each).
      for (let start = 0; start < data.length; start += PASTE_PIECE) {
        socket.emit(TerminalEvent.Input, { sessionId, data: data.slice(start, start + PASTE_PIECE) });
      }
    },
    resize(cols, rows) {
      if (attached) socket.emit(TerminalEvent.Resize, { sessionId, cols, rows });
    },
    end() {
      if (attached) socket.emit(TerminalEvent.Close, { sessionId });
    },
    reopen() {
      if (socket.connected) {
        sink.onState('connecting', null);
        void open();
      }
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
