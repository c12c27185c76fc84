import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputParser, ParsedEvent } from '../src/index.ts';

/** Feeds a recorded stdout (fixtures/<agent>/<name>) to a fresh parser, line by line as the runner does. */
export function parseFixture(parser: OutputParser, agent: string, name: string): ParsedEvent[] {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', agent, name), 'utf8');
  return text.split('\n').filter((line) => line !== '').flatMap((line) => parser.parseLine(line));
}

export function ofType(events: ParsedEvent[], type: ParsedEvent['type']): Record<string, unknown>[] {
  return events.filter((event) => event.type === type).map((event) => event.payload);
}

/** Lines no CLI should print but any process can: each must come back as events, never a throw. */
export const HOSTILE_LINES = [
  'Loading configuration...',
  '{"type":"assistant","message":{"content":[{"type":"text","text":"cut here',
  '[1,2,3]',
  'null',
  '{"no_type":true}',
  '\u0000\u0001\u0002\uFFFD binary \u001b[31mred\u001b[0m',
  `{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":[null,42,{"type":"text"}]}]}}`,
  '{"type":"item.completed","item":null}',
  '{"type":"item.completed","item":{"type":"mcp_tool_call","id":7,"result":{"content":"not a list"}}}',
  '{"type":"result","usage":{"input_tokens":"many","output_tokens":-3}}',
];

/** A 10 MB line that is not JSON. */
export const HUGE_GARBAGE_LINE = 'x'.repeat(10 * 1024 * 1024);
