import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ContainerRuntime, ContainerState } from '../src/runtime/container-runtime.ts';
import { inspectWhenEngineAnswers } from '../src/missions/inspect-when-engine-answers.ts';

const exited: ContainerState = { id: 'c1', workspaceId: 'w1', running: false, paused: false, oomKilled: false, exitCode: 143, hostAddress: null };

/** An engine that refuses `failures` inspections (it is restarting), then answers. */
function restartingEngine(failures: number, answer: ContainerState | null) {
  const calls = { count: 0 };
  const runtime = {
    async inspectWorkspaceContainer() {
      calls.count += 1;
      if (calls.count <= failures) throw Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' });
      return answer;
    },
  } as unknown as ContainerRuntime;
  return { runtime, calls };
}

describe('inspectWhenEngineAnswers', () => {
  it('asks a silent engine again and judges by what it says once it answers', async () => {
    const { runtime, calls } = restartingEngine(2, exited);
    expect(await inspectWhenEngineAnswers(runtime, 'w1', pino({ level: 'silent' }))).toEqual(exited);
    expect(calls.count).toBe(3);
  });

  it('takes an answering engine at its word, a missing container included', async () => {
    const { runtime, calls } = restartingEngine(0, null);
    expect(await inspectWhenEngineAnswers(runtime, 'w1', pino({ level: 'silent' }))).toBeNull();
    expect(calls.count).toBe(1);
  });
});
