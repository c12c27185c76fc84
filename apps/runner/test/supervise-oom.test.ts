import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MissionResultPayload } from '@garrison/core';
import { missionFiles } from '../src/mission-files.ts';
import { readOomKills, superviseMission } from '../src/supervise.ts';

const V1_CONTROL = (kills: number) => `oom_kill_disable 0\nunder_oom 0\noom_kill ${kills}\n`;
const V2_EVENTS = (kills: number) => `low 0\nhigh 0\nmax 12\noom 2\noom_kill ${kills}\noom_group_kill 0\n`;

let dir: string;
const workspaceDirBefore = process.env.GARRISON_WORKSPACE_DIR;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'garrison-oom-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (workspaceDirBefore === undefined) delete process.env.GARRISON_WORKSPACE_DIR;
  else process.env.GARRISON_WORKSPACE_DIR = workspaceDirBefore;
});

describe('readOomKills', () => {
  it('reads the count from cgroup v1 memory.oom_control and v2 memory.events', () => {
    writeFileSync(join(dir, 'v1'), V1_CONTROL(4));
    writeFileSync(join(dir, 'v2'), V2_EVENTS(7));
    expect(readOomKills([join(dir, 'v1')])).toBe(4);
    expect(readOomKills([join(dir, 'v2')])).toBe(7);
  });

  it('takes the first file that exists and is null when none does', () => {
    writeFileSync(join(dir, 'v2'), V2_EVENTS(1));
    expect(readOomKills([join(dir, 'missing'), join(dir, 'v2')])).toBe(1);
    expect(readOomKills([join(dir, 'missing')])).toBeNull();
  });

  it('never mistakes oom_group_kill or oom for oom_kill', () => {
    writeFileSync(join(dir, 'v2'), 'oom 3\noom_group_kill 5\n');
    expect(readOomKills([join(dir, 'v2')])).toBeNull();
  });
});

describe('superviseMission and the OOM counter', () => {
  async function supervise(prompt: string, counter: string): Promise<MissionResultPayload> {
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    process.env.GARRISON_WORKSPACE_DIR = workspace;
    const missionId = 'oomtest0001';
    const files = missionFiles(missionId, join(dir, 'state'));
    mkdirSync(files.dir, { recursive: true });
    await superviseMission({ missionId, agent: 'shell', prompt, startSeq: 1, attempt: 1, policy: 'auto', watchdog: { warnAfterS: 60, failAfterS: 120 } }, files, () => {}, {
      oomCounterFiles: [join(dir, 'missing'), counter],
    });
    const lines = readFileSync(files.events, 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as { type: string; payload: unknown };
    expect(last.type).toBe('mission.result');
    return MissionResultPayload.parse(last.payload);
  }

  it('marks the result oomKilled when the count rose while the agent ran', async () => {
    const counter = join(dir, 'memory.oom_control');
    writeFileSync(counter, V1_CONTROL(2));
    // The kernel's part, played by the agent: count a kill, then die of SIGKILL.
    const result = await supervise(`printf '${V1_CONTROL(3).replaceAll('\n', '\\n')}' > ${counter}; kill -KILL $$`, counter);
    expect(result).toEqual({ outcome: 'exited', exitCode: null, signal: 'SIGKILL', oomKilled: true });
  });

  it('leaves oomKilled out when the count did not change', async () => {
    const counter = join(dir, 'memory.events');
    writeFileSync(counter, V2_EVENTS(5));
    const result = await supervise('exit 3', counter);
    expect(result).toEqual({ outcome: 'exited', exitCode: 3, signal: null });
  });
});
