import { StringDecoder } from 'node:string_decoder';
import { EventType, type RunnerEvent } from '@garrison/core';

const EVENT_TYPES = new Set<string>(EventType.options);

/**
 * Parses one line of the runner's log. The runner is ours but runs inside a container an agent
 * controls, so a line is checked before it becomes a row; a bad line is reported, not trusted.
 */
export function parseRunnerLine(line: string): RunnerEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { seq, ts, type, payload } = value as Record<string, unknown>;
  if (!Number.isInteger(seq) || (seq as number) < 1) return null;
  if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) return null;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  return { seq: seq as number, ts, type: type as RunnerEvent['type'], payload: payload as Record<string, unknown> };
}

/** Splits a byte stream into lines, keeping the unfinished tail (and split characters) for the next chunk. */
export class LineReader {
  private carry = '';
  private readonly decoder = new StringDecoder('utf8');

  push(chunk: Buffer, onLine: (line: string) => void): void {
    const text = this.carry + this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (newline > start) onLine(text.slice(start, newline));
      start = newline + 1;
    }
    this.carry = text.slice(start);
  }
}
