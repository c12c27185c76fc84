import { describe, expect, it } from 'vitest';
import { parseRunnerSpec } from '../src/runner-constants.ts';

const valid = { missionId: 'cmwq00xfd00051i7dc9q90v2o', agent: 'shell', prompt: 'echo hi', startSeq: 4 };

describe('parseRunnerSpec', () => {
  it('accepts what the worker sends, with or without template env', () => {
    expect(parseRunnerSpec(valid)).toEqual({ ...valid, env: {} });
    expect(parseRunnerSpec({ ...valid, env: { FOO: 'bar' } }).env).toEqual({ FOO: 'bar' });
  });

  it.each([
    ['a mission id that could escape its directory', { ...valid, missionId: '../../etc' }],
    ['an unknown agent', { ...valid, agent: 'bash' }],
    ['a missing prompt', { ...valid, prompt: undefined }],
    ['a zero start seq', { ...valid, startSeq: 0 }],
    ['a fractional start seq', { ...valid, startSeq: 1.5 }],
    ['null', null],
    ['an env value that is not a string', { ...valid, env: { FOO: 1 } }],
  ])('refuses %s', (_name, spec) => {
    expect(() => parseRunnerSpec(spec)).toThrow(/runner spec/);
  });
});
