import { describe, expect, it } from 'vitest';
import { completeUtf8Length, presentFileContent } from '../src/files/file-content.ts';

describe('presentFileContent', () => {
  it('shows UTF-8 as text and anything else as base64', () => {
    expect(presentFileContent(Buffer.from('héllo\n'), false)).toEqual({ encoding: 'utf8', content: 'héllo\n' });
    expect(presentFileContent(Buffer.from([0xff, 0xfe, 0x41]), false).encoding).toBe('base64');
    expect(presentFileContent(Buffer.from('a\0b'), false).encoding).toBe('base64');
  });

  it('drops a character cut in half at the view limit instead of calling the file binary', () => {
    const cut = Buffer.from('ab€').subarray(0, 4); // € is 3 bytes: 2 of them made it
    expect(completeUtf8Length(cut)).toBe(2);
    expect(presentFileContent(cut, true)).toEqual({ encoding: 'utf8', content: 'ab' });
    expect(completeUtf8Length(Buffer.from('ab€'))).toBe(5);
  });
});
