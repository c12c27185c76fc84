import type { OutputParser, ParsedEvent } from './adapter.ts';
import { parseJsonLine, rawOutputEvent } from './event-text.ts';

/** A JSONL line with the `type` every agent CLI here tags its lines with. */
export type TypedJsonLine = Record<string, unknown> & { type: string };

/** The session a parser has read so far; each CLI names it in its own line, so its reader sets it. */
export interface ParserSession {
  id: string | undefined;
}

/**
 * What the JSONL agent parsers share around their own reading: blank lines skipped, a line that
 * is not a typed JSON object kept as output, and a line the reader throws on (a shape it did not
 * expect) kept as output too rather than lost or allowed to crash the runner.
 */
export function createJsonLineParser(read: (line: TypedJsonLine, session: ParserSession) => ParsedEvent[]): OutputParser {
  const session: ParserSession = { id: undefined };
  return {
    get sessionId() {
      return session.id;
    },
    parseLine(line) {
      if (line.trim() === '') return [];
      const json = parseJsonLine(line);
      if (!json || typeof json.type !== 'string') return [rawOutputEvent(line)];
      try {
        return read(json as TypedJsonLine, session);
      } catch {
        return [rawOutputEvent(line)];
      }
    },
  };
}
