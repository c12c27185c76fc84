import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isAllowedSocketOrigin } from '../src/sockets/origin-check.ts';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('isAllowedSocketOrigin', () => {
  it('allows requests that carry no Origin (scripts, same-origin GET)', () => {
    expect(isAllowedSocketOrigin(request({ host: 'api:3001' }), [])).toBe(true);
  });

  it('allows the origin the request was addressed to, directly or through a proxy', () => {
    expect(isAllowedSocketOrigin(request({ host: 'garrison.example.com', origin: 'https://garrison.example.com' }), [])).toBe(true);
    expect(isAllowedSocketOrigin(request({ host: '127.0.0.1:3001', 'x-forwarded-host': 'localhost:3000', origin: 'http://localhost:3000' }), [])).toBe(true);
  });

  it('refuses a page of another site riding the session cookie', () => {
    expect(isAllowedSocketOrigin(request({ host: 'garrison.example.com', origin: 'https://evil.example' }), [])).toBe(false);
    expect(isAllowedSocketOrigin(request({ host: 'garrison.example.com', origin: 'null' }), [])).toBe(false);
  });

  it('allows a configured dashboard origin', () => {
    expect(isAllowedSocketOrigin(request({ host: 'api.example.com', origin: 'https://app.example.com' }), ['https://app.example.com'])).toBe(true);
  });
});
