import { describe, expect, it } from 'vitest';
import { summarizeToolUse } from '../src/approval-summary.ts';

describe('summarizeToolUse', () => {
  it.each([
    ['Bash', { command: 'npm test', description: 'run tests' }, 'npm test'],
    ['mcp__garrison__bash', { command: 'ls' }, 'ls'],
    ['Write', { file_path: '/workspace/a.md', content: 'ünï' }, 'write /workspace/a.md (5 bytes)'],
    ['mcp__garrison__write_file', { path: 'a.md', content: '' }, 'write a.md (0 bytes)'],
    ['Edit', { file_path: 'src/x.ts', old_string: 'a', new_string: 'b' }, 'edit src/x.ts'],
    ['MultiEdit', { file_path: 'src/y.ts', edits: [] }, 'edit src/y.ts'],
    ['mcp__garrison__edit_file', { path: 'z.ts', oldText: 'a', newText: 'b' }, 'edit z.ts'],
    ['NotebookEdit', { notebook_path: 'n.ipynb', new_source: '' }, 'edit n.ipynb'],
    ['WebFetch', { url: 'https://example.com' }, 'WebFetch {"url":"https://example.com"}'],
  ])('%s -> %s', (tool, input, expected) => {
    expect(summarizeToolUse(tool, input)).toBe(expected);
  });

  it('keeps one line, marking line breaks, and caps long input', () => {
    expect(summarizeToolUse('Bash', { command: 'cat <<EOF > f\n  hi\nEOF' })).toBe('cat <<EOF > f ⏎ hi ⏎ EOF');
    const long = summarizeToolUse('Bash', { command: 'x'.repeat(1000) });
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});
