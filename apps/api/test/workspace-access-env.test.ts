import { describe, expect, it } from 'vitest';
import { parseApiEnv } from '../src/env.ts';
import { parseWorkerEnv } from '../../worker/src/env.ts';

const KEY = { GARRISON_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('file browser and terminal configuration', () => {
  it('defaults to 10 MB uploads, 50 MB downloads and a 15 min terminal idle time', () => {
    const api = parseApiEnv(KEY);
    expect(api.FILE_UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(api.FILE_DOWNLOAD_MAX_BYTES).toBe(50 * 1024 * 1024);
    // The api waits longer for an answer than the worker lets one operation run.
    expect(api.FILE_REQUEST_TIMEOUT_MS).toBeGreaterThan(parseWorkerEnv(KEY).FILE_OP_TIMEOUT_MS);
    expect(parseWorkerEnv(KEY).TERMINAL_IDLE_MS).toBe(15 * 60_000);
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() => parseApiEnv({ FILE_UPLOAD_MAX_BYTES: '0' })).toThrow(/FILE_UPLOAD_MAX_BYTES/);
    expect(() => parseApiEnv({ FILE_DOWNLOAD_MAX_BYTES: '1.5' })).toThrow(/FILE_DOWNLOAD_MAX_BYTES/);
    expect(() => parseWorkerEnv({ TERMINAL_IDLE_MS: '10' })).toThrow(/TERMINAL_IDLE_MS/);
  });
});
