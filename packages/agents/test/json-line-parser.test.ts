import { describe, expect, it } from 'vitest';
import { createJsonLineParser } from '../src/json-line-parser.ts';

describe('createJsonLineParser', () => {
  it('hands typed JSON lines to the reader and keeps everything else as output', () => {
    const seen: string[] = [];
    const parser = createJsonLineParser((line) => {
      seen.push(line.type);
      return [{ type: 'agent.message', payload: { text: line.type } }];
    });
    expect(parser.parseLine('   ')).toEqual([]);
    expect(parser.parseLine('{"type":"text"}')).toEqual([{ type: 'agent.message', payload: { text: 'text' } }]);
    expect(parser.parseLine('Loading...')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: 'Loading...' } }]);
    expect(parser.parseLine('{"type":7}')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: '{"type":7}' } }]);
    expect(seen).toEqual(['text']);
  });

  it('keeps a line the reader throws on as output instead of throwing', () => {
    const parser = createJsonLineParser(() => {
      throw new TypeError('unexpected shape');
    });
    expect(parser.parseLine('{"type":"odd"}')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: '{"type":"odd"}' } }]);
  });

  it('reports the session the reader set', () => {
    const parser = createJsonLineParser((line, session) => {
      if (typeof line.id === 'string') session.id ??= line.id;
      return [];
    });
    expect(parser.sessionId).toBeUndefined();
    parser.parseLine('{"type":"session","id":"s1"}');
    parser.parseLine('{"type":"session","id":"s2"}');
    expect(parser.sessionId).toBe('s1');
  });
});
