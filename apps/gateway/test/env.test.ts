import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseGatewayEnv } from '../src/env.ts';

const key = randomBytes(32).toString('base64');

describe('gateway env', () => {
  it('defaults to the public providers on all interfaces, port 8790', () => {
    const env = parseGatewayEnv({ GARRISON_SECRET_KEY: key });
    expect(env).toMatchObject({ GATEWAY_HOST: '0.0.0.0', GATEWAY_PORT: 8790, ANTHROPIC_UPSTREAM_URL: 'https://api.anthropic.com', OPENAI_UPSTREAM_URL: 'https://api.openai.com/v1' });
  });

  it('needs the secret key and refuses a malformed one without echoing it', () => {
    expect(() => parseGatewayEnv({})).toThrow(/invalid gateway configuration: GARRISON_SECRET_KEY: is required/);
    expect(() => parseGatewayEnv({ GARRISON_SECRET_KEY: 'sk-looks-like-a-key' })).toThrow(/GARRISON_SECRET_KEY: must be 32 random bytes/);
    expect(() => parseGatewayEnv({ GARRISON_SECRET_KEY: 'sk-looks-like-a-key' })).not.toThrow(/sk-looks-like-a-key/);
  });

  it('refuses upstreams that are not http(s) URLs', () => {
    expect(() => parseGatewayEnv({ GARRISON_SECRET_KEY: key, OPENAI_UPSTREAM_URL: 'ftp://x' })).toThrow(/OPENAI_UPSTREAM_URL/);
    expect(() => parseGatewayEnv({ GARRISON_SECRET_KEY: key, GATEWAY_PORT: 'http' })).toThrow(/GATEWAY_PORT/);
  });
});
