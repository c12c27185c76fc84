import type { OutputParser } from '@garrison/agents';
import type { EventLog } from './event-log.ts';
import { OutputSplitter } from './output-splitter.ts';

/** A structured CLI's line may be long (a whole tool result); past this it is kept as plain output. */
const MAX_PARSED_LINE_BYTES = 8 * 1024 * 1024;

export interface OutputSink {
  push(chunk: Buffer): void;
  end(): void;
}

/** Plain output: one `process.output` event per line, long lines cut into marked pieces. */
export function rawOutput(stream: 'stdout' | 'stderr', log: EventLog): OutputSink {
  return new OutputSplitter(stream, (payload) => log.append('process.output', payload));
}

/**
 * A structured CLI's stdout: each whole line goes through the adapter's parser. A line too long
 * to parse is not dropped: it goes out as plain output pieces, marked partial, like the shell's.
 */
export function parsedOutput(parser: OutputParser, log: EventLog): OutputSink {
  const overflow = rawOutput('stdout', log);
  let overflowing = false;
  let sessionId: string | undefined;
  return new OutputSplitter(
    'stdout',
    (payload) => {
      if (payload.partial || overflowing) {
        overflow.push(Buffer.from(payload.text, 'utf8'));
        overflowing = payload.partial === true;
        if (!overflowing) overflow.push(Buffer.from('\n'));
        return;
      }
      let events;
      try {
        events = parser.parseLine(payload.text);
      } catch (error) {
        // An adapter bug must not end the mission or lose the line.
        events = [
          { type: 'process.output' as const, payload: { stream: 'stdout', text: payload.text.slice(0, 64 * 1024) } },
          { type: 'error' as const, payload: { code: 'parse_failed', message: error instanceof Error ? error.message : String(error) } },
        ];
      }
      for (const event of events) log.append(event.type, event.payload);
      // Stored at once: a mission interrupted before its result can still be resumed.
      if (parser.sessionId && parser.sessionId !== sessionId) {
        sessionId = parser.sessionId;
        log.append('agent.session', { sessionId });
      }
    },
    MAX_PARSED_LINE_BYTES,
  );
}
