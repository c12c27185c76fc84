import { io, type Socket } from 'socket.io-client';
import type { TerminalExitMessage, TerminalOpenAck, TerminalOutputMessage } from '@garrison/core';
import { waitFor } from './wait-for.ts';

/** Drops terminal control sequences, so tests can match what a person would read. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g, '');
}

/**
 * A web terminal client like the dashboard's: opens (or reattaches to) a session over Socket.IO
 * and keeps everything the session printed since this client opened it.
 */
export class TerminalClient {
  readonly socket: Socket;
  /** Raw output of the current session, control sequences included. */
  output = '';
  readonly exits: TerminalExitMessage[] = [];
  sessionId: string | null = null;

  constructor(baseUrl: string, auth: { cookie?: string; token?: string }) {
    this.socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
      reconnection: false,
    });
    this.socket.on('terminal:output', (message: TerminalOutputMessage) => {
      if (message.sessionId === this.sessionId || this.sessionId === null) this.output += message.data;
    });
    this.socket.on('terminal:exit', (message: TerminalExitMessage) => {
      if (message.sessionId === this.sessionId) this.exits.push(message);
    });
  }

  /** What a person would read: output without control sequences. */
  get text(): string {
    return stripAnsi(this.output);
  }

  async open(workspaceId: string, options: { sessionId?: string; cols?: number; rows?: number } = {}): Promise<TerminalOpenAck> {
    if (!this.socket.connected) await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    this.sessionId = options.sessionId ?? null;
    const ack = (await this.socket.emitWithAck('terminal:open', { workspaceId, sessionId: options.sessionId, cols: options.cols ?? 100, rows: options.rows ?? 30 })) as TerminalOpenAck;
    if (ack.ok) this.sessionId = ack.sessionId;
    return ack;
  }

  type(data: string): void {
    this.socket.emit('terminal:input', { sessionId: this.sessionId, data });
  }

  resize(cols: number, rows: number): void {
    this.socket.emit('terminal:resize', { sessionId: this.sessionId, cols, rows });
  }

  closeSession(): void {
    this.socket.emit('terminal:close', { sessionId: this.sessionId });
  }

  /** Waits until the readable output matches; returns the match. */
  waitForText(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return waitFor(() => this.text.match(pattern), { timeoutMs, intervalMs: 5, what: `terminal output matching ${pattern}` });
  }

  disconnect(): void {
    this.socket.close();
  }
}
