import { mkdtempSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutsideWorkspaceError, confinePath } from '../src/index.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'confine-')));
mkdirSync(join(root, 'src'));
writeFileSync(join(root, 'src/a.ts'), 'x');
symlinkSync('/etc', join(root, 'out'));
symlinkSync('src', join(root, 'in'));
symlinkSync('loop', join(root, 'loop'));

describe('confinePath', () => {
  it('resolves paths inside, existing or not', async () => {
    expect(await confinePath(root, 'src/a.ts')).toEqual({ absolute: join(root, 'src/a.ts'), relative: 'src/a.ts' });
    expect(await confinePath(root, 'src/new/b.ts')).toEqual({ absolute: join(root, 'src/new/b.ts'), relative: 'src/new/b.ts' });
    expect(await confinePath(root, '')).toEqual({ absolute: root, relative: '' });
    expect((await confinePath(root, 'in/a.ts')).relative).toBe('src/a.ts');
    expect((await confinePath(root, `${root}/src`)).relative).toBe('src');
  });

  it.each([['a parent path', '../etc/passwd'], ['an absolute path', '/etc/passwd'], ['a symlink out', 'out/passwd'], ['a new file through a symlink out', 'out/new'], ['a symlink loop', 'loop/x']])(
    'refuses %s',
    async (_name, requested) => {
      await expect(confinePath(root, requested)).rejects.toBeInstanceOf(OutsideWorkspaceError);
    },
  );
});
