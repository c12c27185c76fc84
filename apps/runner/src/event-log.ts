import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { EventPayload, EventType } from '@garrison/core';
import { MAX_EVENT_TEXT_BYTES } from '@garrison/core/runner-constants';

/**
 * The mission's append-only event log on the workspace volume. Only the supervisor writes it and
 * it assigns seq, so the log is the one ordered record the worker replays from. Appends are
 * gathered for one tick and written in one syscall: a flooding agent costs one write per tick.
 * Streamed text pieces (`agent.delta`) arriving in the same tick are coalesced into one event:
 * a CLI streaming token by token would otherwise cost an event, a row and a broadcast per token.
 */
export class EventLog {
  private readonly fd: number;
  private buffered: string[] = [];
  private flushScheduled = false;
  /** The open delta of this tick: later pieces join it until another event or the flush. */
  private delta: { seq: number; ts: string; text: string; bytes: number } | null = null;

  constructor(
    path: string,
    private nextSeq: number,
    /** Told after every write, so an in-process follower reads at once instead of polling. */
    private readonly onFlushed: () => void = () => {},
    /**
     * Values that must never be stored (the mission's gateway token): an agent may print its own
     * environment or config. Tokens are base64url, so they read the same inside JSON strings.
     */
    private readonly secrets: string[] = [],
  ) {
    this.fd = openSync(path, 'a', 0o600);
  }

  append(type: EventType, payload: EventPayload): number {
    if (type === 'agent.delta' && typeof payload.text === 'string' && Object.keys(payload).length === 1) return this.appendDelta(payload.text);
    this.closeDelta();
    const seq = this.nextSeq++;
    this.push(seq, type, new Date().toISOString(), payload);
    return seq;
  }

  private appendDelta(text: string): number {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.delta && this.delta.bytes + bytes <= MAX_EVENT_TEXT_BYTES) {
      this.delta.text += text;
      this.delta.bytes += bytes;
      return this.delta.seq;
    }
    this.closeDelta();
    this.delta = { seq: this.nextSeq++, ts: new Date().toISOString(), text, bytes };
    this.scheduleFlush();
    return this.delta.seq;
  }

  private closeDelta(): void {
    if (!this.delta) return;
    const { seq, ts, text } = this.delta;
    this.delta = null;
    this.push(seq, 'agent.delta', ts, { text });
  }

  private push(seq: number, type: EventType, ts: string, payload: EventPayload): void {
    // seq first and type second: the follower reads both without parsing the whole line.
    let line = JSON.stringify({ seq, type, ts, payload });
    for (const secret of this.secrets) if (line.includes(secret)) line = line.split(secret).join('[redacted]');
    this.buffered.push(`${line}\n`);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    this.closeDelta();
    if (this.buffered.length === 0) return;
    const bytes = Buffer.from(this.buffered.join(''));
    this.buffered = [];
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fd, bytes, written);
    }
    this.onFlushed();
  }

  /** Flush and fsync: the last event must survive a container stop right after the agent exits. */
  close(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
