import { describe, expect, it } from 'vitest';
import { globToRegExp, patternNames } from '../src/glob-pattern.ts';

function matches(pattern: string, path: string): boolean {
  return globToRegExp(pattern).test(path);
}

describe('globToRegExp', () => {
  it.each([
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/deep/a.ts', true],
    ['**/*.ts', 'src/a.tsx', false],
    ['src/**', 'src/a/b.txt', true],
    ['src/**', 'lib/a.txt', false],
    ['src/**/test/*.ts', 'src/test/a.ts', true],
    ['src/**/test/*.ts', 'src/x/y/test/a.ts', true],
    ['a?.txt', 'ab.txt', true],
    ['a?.txt', 'a/.txt', false],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['[!ab].txt', 'c.txt', true],
    ['*.{js,json}', 'x.json', true],
    ['*.{js,json}', 'x.ts', false],
    ['{src,test}/**/*.ts', 'test/u/a.ts', true],
    ['a{b,c{d,e}}f', 'acef', true],
    ['{x}', '{x}', true],
    ['.github/**/*.yml', '.github/workflows/ci.yml', true],
    ['*', '.env', true],
    ['a+b(1).txt', 'a+b(1).txt', true],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
  ])('%s on %s -> %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('knows when a pattern names a skipped folder', () => {
    expect(patternNames('node_modules/**/package.json', 'node_modules')).toBe(true);
    expect(patternNames('**/{.git,src}/*', '.git')).toBe(true);
    expect(patternNames('**/*.git', '.git')).toBe(false);
    expect(patternNames('.github/*', '.git')).toBe(false);
  });
});
