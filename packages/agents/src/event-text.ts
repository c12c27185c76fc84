import { MAX_EVENT_TEXT_BYTES } from '@garrison/core/runner-constants';
import type { ParsedEvent } from './adapter.ts';

/**
 * Cuts a text field to MAX_EVENT_TEXT_BYTES (on a character boundary) and says so: one huge
 * tool result must not blow up an event batch, and a reader must know it saw only the start.
 */
export function capText(text: string): { text: string; truncated?: true } {
  if (Buffer.byteLength(text, 'utf8') <= MAX_EVENT_TEXT_BYTES) return { text };
  let cut = Buffer.from(text, 'utf8').subarray(0, MAX_EVENT_TEXT_BYTES).toString('utf8');
  // A multi-byte character cut in half decodes as U+FFFD at the end: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}

/** A stdout line that is not the CLI's JSON: kept as plain output, never dropped. */
export function rawOutputEvent(line: string): ParsedEvent {
  const { text, truncated } = capText(line);
  return { type: 'process.output', payload: { stream: 'stdout', text, ...(truncated ? { partial: true } : {}) } };
}

/** Parses a JSON object line, or returns null for anything else (a banner, a partial line, binary). */
export function parseJsonLine(line: string): Record<string, unknown> | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
