import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { EventPayload, EventType } from '@garrison/core';

/**
 * The mission's append-only event log on the workspace volume. Only the supervisor writes it and
 * it assigns seq, so the log is the one ordered record the worker replays from. Appends are
 * gathered for one tick and written in one syscall: a flooding agent costs one write per tick.
 */
export class EventLog {
  private readonly fd: number;
  private buffered: string[] = [];
  private flushScheduled = false;

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
    const seq = this.nextSeq++;
    // seq first and type second: the follower reads both without parsing the whole line.
    let line = JSON.stringify({ seq, type, ts: new Date().toISOString(), payload });
    for (const secret of this.secrets) if (line.includes(secret)) line = line.split(secret).join('[redacted]');
    this.buffered.push(`${line}\n`);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return seq;
  }

  flush(): void {
    this.flushScheduled = false;
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
