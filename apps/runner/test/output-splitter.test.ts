import { describe, expect, it } from 'vitest';
import type { ProcessOutputPayload } from '@garrison/core';
import { OutputSplitter, utf8SafeCut } from '../src/output-splitter.ts';

function collect(maxBytes?: number) {
  const out: ProcessOutputPayload[] = [];
  const splitter = new OutputSplitter('stdout', (payload) => out.push(payload), maxBytes);
  return { out, splitter };
}

describe('OutputSplitter', () => {
  it('emits one payload per line across chunk boundaries', () => {
    const { out, splitter } = collect();
    splitter.push(Buffer.from('hel'));
    splitter.push(Buffer.from('lo\nwor'));
    splitter.push(Buffer.from('ld\n\nlast'));
    splitter.end();
    expect(out.map((payload) => payload.text)).toEqual(['hello', 'world', '', 'last']);
  });

  it('cuts an over-long line into marked pieces that add up to the whole line', () => {
    const { out, splitter } = collect(1000);
    const line = 'x'.repeat(10_500);
    splitter.push(Buffer.from(`${line}\n`));
    expect(out).toHaveLength(11);
    expect(out.slice(0, 10).every((payload) => payload.partial === true)).toBe(true);
    expect(out[10]!.partial).toBeUndefined();
    expect(out.map((payload) => payload.text).join('')).toBe(line);
  });

  it('never splits a multi-byte character between pieces', () => {
    const { out, splitter } = collect(10);
    const text = 'aé€😀'.repeat(20);
    splitter.push(Buffer.from(text));
    splitter.end();
    expect(out.every((payload) => !payload.invalidUtf8)).toBe(true);
    expect(out.map((payload) => payload.text).join('')).toBe(text);
  });

  it('replaces and marks bytes that are not UTF-8 without losing the rest of the line', () => {
    const { out, splitter } = collect();
    splitter.push(Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x21, 0x0a, 0x6e, 0x65, 0x78, 0x74, 0x0a]));
    expect(out[0]).toEqual({ stream: 'stdout', text: 'ok\ufffd\ufffd!', invalidUtf8: true });
    expect(out[1]).toEqual({ stream: 'stdout', text: 'next' });
  });

  it('handles a character split across two chunks', () => {
    const { out, splitter } = collect();
    const euro = Buffer.from('€\n');
    splitter.push(euro.subarray(0, 1));
    splitter.push(euro.subarray(1));
    expect(out).toEqual([{ stream: 'stdout', text: '€' }]);
  });
});

describe('utf8SafeCut', () => {
  it('backs off to a character boundary', () => {
    const bytes = Buffer.from('ab€');
    expect(utf8SafeCut(bytes, 3)).toBe(2);
    expect(utf8SafeCut(bytes, 5)).toBe(5);
  });
});
