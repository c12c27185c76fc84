import type { ProcessOutputPayload } from '@garrison/core';
import { MAX_EVENT_TEXT_BYTES } from '@garrison/core/runner-constants';

const NEWLINE = 0x0a;
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/**
 * Turns a byte stream into one payload per line. Agents can print anything: a line longer than
 * the cap is cut into marked pieces (never dropped), and bytes that are not UTF-8 are replaced
 * and marked, so the stream stays intact and every event stays valid JSON.
 */
export class OutputSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly stream: ProcessOutputPayload['stream'],
    private readonly emit: (payload: ProcessOutputPayload) => void,
    private readonly maxBytes = MAX_EVENT_TEXT_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.append(chunk.subarray(start, newline));
      this.emitLine(this.take(this.pendingBytes), false);
      start = newline + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** Flushes a last line that had no trailing newline. */
  end(): void {
    if (this.pendingBytes > 0) this.emitLine(this.take(this.pendingBytes), false);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    while (this.pendingBytes > this.maxBytes) {
      this.emitLine(this.take(utf8SafeCut(Buffer.concat(this.pending), this.maxBytes)), true);
    }
  }

  private take(count: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const head = all.subarray(0, count);
    const rest = all.subarray(count);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return head;
  }

  private emitLine(bytes: Buffer, partial: boolean): void {
    const payload: ProcessOutputPayload = { stream: this.stream, text: '' };
    try {
      payload.text = strictDecoder.decode(bytes);
    } catch {
      payload.text = lenientDecoder.decode(bytes);
      payload.invalidUtf8 = true;
    }
    if (partial) payload.partial = true;
    this.emit(payload);
  }
}

/** Backs off from `limit` so a multi-byte character is never split between two pieces. */
export function utf8SafeCut(bytes: Buffer, limit: number): number {
  let cut = Math.min(limit, bytes.length);
  let backed = 0;
  while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80 && backed < 3) {
    cut -= 1;
    backed += 1;
  }
  return cut === 0 ? Math.min(limit, bytes.length) : cut;
}
