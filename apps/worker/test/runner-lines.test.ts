import { describe, expect, it } from 'vitest';
import { LineReader, parseRunnerLine } from '../src/missions/runner-lines.ts';

describe('parseRunnerLine', () => {
  it('accepts a well-formed runner event', () => {
    const line = '{"seq":4,"type":"process.output","ts":"2026-01-01T00:00:00.000Z","payload":{"stream":"stdout","text":"hi"}}';
    expect(parseRunnerLine(line)).toEqual({
      seq: 4,
      type: 'process.output',
      ts: '2026-01-01T00:00:00.000Z',
      payload: { stream: 'stdout', text: 'hi' },
    });
  });

  it.each([
    ['not json', 'hello'],
    ['torn line', '{"seq":4,"type":"process.out'],
    ['zero seq', '{"seq":0,"type":"error","ts":"2026-01-01T00:00:00Z","payload":{}}'],
    ['unknown type', '{"seq":1,"type":"rm -rf","ts":"2026-01-01T00:00:00Z","payload":{}}'],
    ['bad time', '{"seq":1,"type":"error","ts":"yesterday","payload":{}}'],
    ['array payload', '{"seq":1,"type":"error","ts":"2026-01-01T00:00:00Z","payload":[]}'],
  ])('rejects %s', (_name, line) => {
    expect(parseRunnerLine(line)).toBeNull();
  });
});

describe('LineReader', () => {
  it('reassembles lines and characters split across chunks', () => {
    const reader = new LineReader();
    const lines: string[] = [];
    const bytes = Buffer.from('first €\nsecond\nthi');
    reader.push(bytes.subarray(0, 7), (line) => lines.push(line));
    reader.push(bytes.subarray(7), (line) => lines.push(line));
    reader.push(Buffer.from('rd\n'), (line) => lines.push(line));
    expect(lines).toEqual(['first €', 'second', 'third']);
  });
});
