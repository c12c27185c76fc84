import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerEvent } from '@garrison/core';
import type { AgentAdapter, OutputParser } from '@garrison/agents';
import type { RunnerSpec } from '@garrison/core/runner-constants';
import { deliverAnswer, deliverMessage } from '../src/deliver.command.ts';
import { missionFiles, type MissionFiles } from '../src/mission-files.ts';
import { superviseMission } from '../src/supervise.ts';
import { waitFor } from '@garrison/testkit';

const waitUntil = (check: () => boolean) => waitFor(check, { timeoutMs: 10_000 });

/**
 * A scripted stand-in for an agent CLI: each turn runs `sh -c` with the turn's prompt. Lines
 * "SESSION <id>" set the session; every other line becomes an agent.message. The environment
 * carries what the MCP server would get, so the script can play the MCP's side of the channel.
 */
const scriptAdapter: AgentAdapter = {
  kind: 'shell',
  buildLaunch(spec, turn, base) {
    return {
      command: '/bin/sh',
      args: ['-c', turn.prompt],
      cwd: base.workspaceDir,
      env: { ...base.mcp.env, TURN: String(turn.number), RESUME: turn.resumeSessionId ?? '', TOKEN: spec.gateway?.token ?? '' },
    };
  },
  createParser(): OutputParser {
    let sessionId: string | undefined;
    return {
      get sessionId() {
        return sessionId;
      },
      parseLine(line) {
        if (line.startsWith('SESSION ')) sessionId = line.slice(8);
        return [{ type: 'agent.message', payload: { text: line } }];
      },
    };
  },
};

let dir: string;
let files: MissionFiles;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'garrison-channel-'));
  mkdirSync(join(dir, 'workspace'));
  process.env.GARRISON_WORKSPACE_DIR = join(dir, 'workspace');
  files = missionFiles('channeltest01', join(dir, 'state'), 1);
  mkdirSync(files.dir, { recursive: true });
});

afterEach(() => {
  delete process.env.GARRISON_WORKSPACE_DIR;
  rmSync(dir, { recursive: true, force: true });
});

function spec(prompt: string, extra: Partial<RunnerSpec> = {}): RunnerSpec {
  return { missionId: 'channeltest01', agent: 'shell', prompt, startSeq: 5, attempt: 1, policy: 'ask', watchdog: { warnAfterS: 30, failAfterS: 60 }, ...extra };
}

function events(): RunnerEvent[] {
  try {
    return readFileSync(files.events, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunnerEvent);
  } catch {
    return [];
  }
}

const REQUEST_APPROVAL = `printf '{"id":"ap1","kind":"approval","tool":"Bash","input":{"command":"rm x"},"summary":"rm x","ts":"t"}' > "$GARRISON_MISSION_DIR/requests/ap1.json"
while [ ! -f "$GARRISON_MISSION_DIR/responses/ap1.json" ]; do sleep 0.05; done
cat "$GARRISON_MISSION_DIR/responses/ap1.json"; echo`;

describe('the supervisor and the mission channel', () => {
  it('turns an approval request and its answer into events and waiting states, seq dense from startSeq', async () => {
    const done = superviseMission(spec(REQUEST_APPROVAL), files, () => {}, { adapter: scriptAdapter });
    await waitUntil(() => events().some((event) => event.type === 'approval.requested'));
    expect(deliverAnswer(files, { id: 'ap1', kind: 'approval', decision: 'deny', message: 'not that', by: 'ana@example.com', ts: '' })).toEqual({ ok: true });
    expect(deliverAnswer(files, { id: 'ap1', kind: 'approval', decision: 'allow', by: 'bob', ts: '' })).toEqual({ ok: false, reason: 'already_answered' });
    expect(deliverAnswer(files, { id: 'nope', kind: 'approval', decision: 'allow', by: 'bob', ts: '' })).toEqual({ ok: false, reason: 'no_such_request' });
    await done;
    const log = events();
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 5));
    expect(log.map((event) => `${event.type}${event.type === 'mission.status' ? `:${String(event.payload.status)}` : ''}`)).toEqual([
      'approval.requested',
      'mission.status:waiting_approval',
      'approval.resolved',
      'mission.status:running',
      'agent.message',
      'mission.result',
    ]);
    expect(log[2]!.payload).toMatchObject({ approvalId: 'ap1', decision: 'deny', by: 'ana@example.com', message: 'not that' });
    expect(log[5]!.payload).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });

  it('gives a follow-up sent during a turn to the next turn, resuming the session', async () => {
    const script = `echo "SESSION s-42"; while [ -z "$(ls "$GARRISON_MISSION_DIR/inbox")" ]; do sleep 0.05; done`;
    const followUp = 'echo "turn $TURN resumes $RESUME"';
    const done = superviseMission(spec(script), files, () => {}, { adapter: scriptAdapter });
    await waitUntil(() => events().some((event) => event.payload.text === 'SESSION s-42'));
    expect(deliverMessage(files, { id: 'm1', text: followUp, by: 'ana', ts: '2026-01-01T00:00:00Z' })).toEqual({ ok: true });
    expect(deliverMessage(files, { id: 'm1', text: followUp, by: 'ana', ts: '2026-01-01T00:00:00Z' })).toEqual({ ok: true, duplicate: true });
    await done;
    const log = events();
    const provided = log.find((event) => event.type === 'input.provided');
    expect(provided?.payload).toMatchObject({ kind: 'follow_up', messageId: 'm1', text: followUp, by: 'ana' });
    expect(log.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['SESSION s-42', 'turn 2 resumes s-42']);
    expect(log.at(-1)!.payload).toMatchObject({ outcome: 'exited', exitCode: 0, sessionId: 's-42' });
  });

  it('reports silence, then ends an unresponsive agent; never a silent hang', async () => {
    await superviseMission(spec('sleep 30', { watchdog: { warnAfterS: 0.3, failAfterS: 0.8 } }), files, () => {}, { adapter: scriptAdapter });
    const log = events();
    expect(log.find((event) => event.type === 'error')?.payload).toMatchObject({ code: 'agent_silent' });
    expect(log.at(-1)!.payload).toMatchObject({ outcome: 'unresponsive' });
  });

  it('does not count a wait for a person as silence', async () => {
    const done = superviseMission(spec(REQUEST_APPROVAL, { watchdog: { warnAfterS: 0.2, failAfterS: 0.4 } }), files, () => {}, { adapter: scriptAdapter });
    await waitUntil(() => events().some((event) => event.type === 'approval.requested'));
    await new Promise((resolve) => setTimeout(resolve, 800));
    deliverAnswer(files, { id: 'ap1', kind: 'approval', decision: 'allow', by: 'ana', ts: '' });
    await done;
    expect(events().at(-1)!.payload).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(events().some((event) => event.type === 'error')).toBe(false);
  });

  it('stops the agent at the runtime limit with budget_exceeded', async () => {
    await superviseMission(spec('echo working; sleep 30', { maxRuntimeS: 0.5 }), files, () => {}, { adapter: scriptAdapter });
    expect(events().at(-1)!.payload).toMatchObject({ outcome: 'budget_exceeded' });
  });

  it('keeps the gateway token out of the log and records the verdict the agent declared', async () => {
    const token = 'gwt_abcDEF123_secret-token';
    const script = `echo "my key is $TOKEN"; printf '{"status":"blocked","summary":"needs a DB password","ts":"t"}' > "$GARRISON_MISSION_DIR/outcome.json"`;
    await superviseMission(spec(script, { gateway: { token, anthropicBaseUrl: 'http://gw', openaiBaseUrl: 'http://gw/v1' } }), files, () => {}, { adapter: scriptAdapter });
    const text = readFileSync(files.events, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('my key is [redacted]');
    expect(events().at(-1)!.payload).toMatchObject({ outcome: 'exited', exitCode: 0, declared: { status: 'blocked', summary: 'needs a DB password' } });
  });

  it('refuses messages once the attempt is over', async () => {
    await superviseMission(spec('true'), files, () => {}, { adapter: scriptAdapter });
    writeFileSync(join(files.requests, 'late.json'), '{}');
    expect(deliverMessage(files, { id: 'late', text: 'hello?', by: 'ana', ts: '' })).toEqual({ ok: false, reason: 'not_running' });
  });
});
