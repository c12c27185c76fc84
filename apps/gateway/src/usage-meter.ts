import { StringDecoder } from 'node:string_decoder';
import type { GatewayApi } from './routes.ts';
import { finishUsage, newAccumulator, readJsonBody, readStreamEvent, type CallUsage } from './usage-extract.ts';

/** A JSON answer larger than this is passed on unmetered rather than held in memory twice. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** An SSE line longer than this is not an event we read usage from (they are a few KB). */
const MAX_LINE_CHARS = 4 * 1024 * 1024;

export interface UsageMeter {
  /** Sees each chunk as it is passed to the client; never holds it back. */
  push(chunk: Buffer): void;
  finish(): CallUsage;
}

/**
 * A tee on the response stream: SSE answers are read event by event as they pass (no buffering of
 * the stream), JSON answers are parsed once complete. Unreadable data is skipped, never fatal:
 * the client gets the bytes whatever the meter makes of them.
 */
export function createUsageMeter(api: GatewayApi, options: { streaming: boolean; requestModel: string | null }): UsageMeter {
  const acc = newAccumulator();
  const decoder = new StringDecoder('utf8');
  let line = '';
  let data: string[] = [];
  const json: Buffer[] = [];
  let jsonBytes = 0;

  const dispatch = (): void => {
    const payload = data.join('\n');
    data = [];
    if (!payload || payload === '[DONE]') return;
    try {
      readStreamEvent(api, acc, JSON.parse(payload));
    } catch {}
  };
  const readLine = (text: string): void => {
    const row = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (row === '') dispatch();
    else if (row.startsWith('data:')) data.push(row.slice(row.startsWith('data: ') ? 6 : 5));
  };

  return {
    push(chunk) {
      if (!options.streaming) {
        jsonBytes += chunk.length;
        if (jsonBytes <= MAX_JSON_BYTES) json.push(chunk);
        return;
      }
      const parts = (line + decoder.write(chunk)).split('\n');
      line = parts.pop() ?? '';
      if (line.length > MAX_LINE_CHARS) line = '';
      for (const part of parts) readLine(part);
    },
    finish() {
      if (options.streaming) {
        if (line) readLine(line);
        dispatch();
      } else if (jsonBytes > 0 && jsonBytes <= MAX_JSON_BYTES) {
        try {
          readJsonBody(api, acc, JSON.parse(Buffer.concat(json).toString('utf8')));
        } catch {}
      }
      return finishUsage(acc, options.requestModel);
    },
  };
}
