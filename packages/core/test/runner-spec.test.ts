import { describe, expect, it } from 'vitest';
import { parseRunnerSpec } from '../src/runner-constants.ts';

const valid = { missionId: 'cmwq00xfd00051i7dc9q90v2o', agent: 'shell', prompt: 'echo hi', startSeq: 4 };

describe('parseRunnerSpec', () => {
  it('accepts what the worker sends, with or without template env', () => {
    expect(parseRunnerSpec(valid)).toEqual({ ...valid, env: {}, attempt: 1, policy: 'auto', watchdog: { warnAfterS: 120, failAfterS: 600 } });
    const full = { ...valid, attempt: 2, policy: 'ask', model: 'm', resumeSessionId: 's-1', maxRuntimeS: 60, watchdog: { warnAfterS: 5, failAfterS: 10 }, gateway: { token: 't', anthropicBaseUrl: 'a', openaiBaseUrl: 'o' } };
    expect(parseRunnerSpec(full)).toEqual({ ...full, env: {} });
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
    ['an unknown policy', { ...valid, policy: 'yolo' }],
    ['a zero attempt', { ...valid, attempt: 0 }],
    ['a watchdog that fails before it warns', { ...valid, watchdog: { warnAfterS: 10, failAfterS: 5 } }],
    ['a gateway without a token', { ...valid, gateway: { anthropicBaseUrl: 'a', openaiBaseUrl: 'o' } }],
  ])('refuses %s', (_name, spec) => {
    expect(() => parseRunnerSpec(spec)).toThrow(/runner spec/);
  });
});
