import { describe, expect, it } from 'vitest';
import { CreateTemplateBody } from '../src/index.ts';

describe('CreateTemplateBody', () => {
  it('accepts a full template', () => {
    const body = { name: 'node app', image: 'garrison/workspace:dev', initScript: 'npm ci', env: { NODE_ENV: 'test' }, memoryMb: 1024, cpus: 1.5, pidsLimit: 256, networkPolicy: 'none' };
    expect(CreateTemplateBody.parse(body)).toEqual(body);
  });

  it.each([
    ['a reserved env name', { env: { GARRISON_MISSION_ID: 'x' } }],
    ['PATH', { env: { PATH: '/evil' } }],
    ['a bad env name', { env: { 'A-B': 'x' } }],
    ['an image with a shell in it', { image: 'x; rm -rf /' }],
    ['tiny memory', { memoryMb: 16 }],
    ['an unknown network policy', { networkPolicy: 'everything' }],
  ])('refuses %s', (_name, extra) => {
    expect(CreateTemplateBody.safeParse({ name: 't', ...extra }).success).toBe(false);
  });
});
