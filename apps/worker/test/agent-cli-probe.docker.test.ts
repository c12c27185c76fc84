import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, ensureDefaultTemplate } from '@garrison/db';
import { TEST_DATABASE_URL, openStackFixture, waitFor, type StackFixture } from '@garrison/testkit';
import { AgentCliProbe } from '../src/images/agent-cli-probe.ts';
import { DockerRuntime } from '../src/runtime/docker-runtime.ts';

const IMAGE = process.env.GARRISON_WORKSPACE_IMAGE ?? 'garrison/workspace:dev';
const runtime = new DockerRuntime();
let fixture: StackFixture | undefined;

afterAll(async () => {
  await fixture?.close();
});

describe('agent CLI probe', () => {
  it('runs a throwaway container of an image and bounds it by a timeout', async () => {
    const result = await runtime.runOnce(IMAGE, ['/bin/sh', '-c', 'id -u; echo oops >&2'], 30_000);
    expect(result).toEqual({ exitCode: 0, stdout: '1000\n', stderr: 'oops\n' });
    const started = Date.now();
    const stuck = await runtime.runOnce(IMAGE, ['sleep', '60'], 500);
    expect(stuck.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('finds every agent CLI in the workspace image', async () => {
    const db = createDb(TEST_DATABASE_URL, { poolSize: 1 });
    try {
      // The probe looks at the shared default template's image; another test's stack may have
      // pointed it elsewhere, as any worker start with another image does. Point it back first.
      await ensureDefaultTemplate(db, IMAGE, { memoryMb: 2048, cpus: 1, pidsLimit: 512 });
      const probe = new AgentCliProbe({ runtime, db, log: pino({ level: 'silent' }), fallbackImage: IMAGE });
      expect(probe.commands()).toBeNull();
      await probe.refresh();
      expect(probe.commands()).toEqual(['claude', 'codex', 'opencode', 'pi']);
    } finally {
      await db.close();
    }
  });

  it('reaches GET /api/v1/agents through the worker heartbeat', async () => {
    fixture = await openStackFixture();
    const { client } = fixture;
    await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-probe-test-key' });
    await client.put('/api/v1/credentials/openai', { apiKey: 'sk-openai-probe-test-key' });
    const agents = await waitFor(
      async () => {
        const list = (await client.get('/api/v1/agents')).body.agents as { kind: string; available: boolean; unavailableReasons: string[] }[];
        return list.every((agent) => agent.available) ? list : null;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'every agent to be reported available' },
    );
    expect(agents.map((agent) => agent.kind)).toEqual(['claude-code', 'codex', 'opencode', 'pi', 'shell']);
  });
});
