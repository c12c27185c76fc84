import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { AgentKind } from '@garrison/core';
import { DEFAULT_WATCHDOG, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedToolCall } from '@garrison/testkit';
import { findAgentAdapter, type AgentTurn, type LaunchBase, type ParsedEvent } from '../src/index.ts';
import { answerApproval, bridgeGateway, createVolume, eventTrail, explain, inVolume, launchBase, removeVolume, runTurnInContainer, waitForApproval, type PendingApproval, type TurnRun } from './container-launch.ts';

/** The token every mission of these tests carries: no agent's output may show it. */
export const MISSION_TOKEN = 'test-mission-token';

/** A Chat Completions request body (OpenCode and pi speak it), as far as the tests read it. */
export interface ChatBody {
  messages: { role: string; content: unknown }[];
  tools?: { function: { name: string } }[];
}

/**
 * What one agent's docker test file shares across its tests. `model` and `volume` are set once
 * the file's beforeAll ran. Plain functions, not methods: the test files destructure them.
 */
export interface AgentContainerSuite {
  /** Every mission's gateway points here, on the host's bridge address. */
  readonly model: ScriptedModelServer;
  /** The workspace volume all turns of the file run on. */
  readonly volume: string;
  /** A fresh mission of the agent under `policy`. */
  missionSpec: (policy: RunnerPolicy) => RunnerSpec;
  /** One turn of the agent in a workspace container on the volume; `base` defaults to the mission's own. */
  runTurn: (spec: RunnerSpec, turn: AgentTurn, base?: LaunchBase) => Promise<TurnRun>;
  /** `GARRISON_RECORD_FIXTURES=1` refreshes the parser's fixtures from these real runs. */
  record: (name: string, turn: TurnRun) => void;
  /** The Chat Completions request bodies sent since request number `from`. */
  chatBodiesSince: (from: number) => ChatBody[];
  /**
   * A follow-up on `first`'s session: it must keep the session and answer. Returns the number of
   * its first model request, for the agent's own check that the request carried the history.
   */
  expectFollowUpResumes: (spec: RunnerSpec, base: LaunchBase, first: TurnRun) => Promise<number>;
  /**
   * Under `ask`, the scripted calls write `file` (content "approved\n") only after a person allows
   * it, and the turn then ends normally. Returns the request the person was shown.
   */
  expectWriteAfterApproval: (spec: RunnerSpec, prompt: string, toolCalls: ScriptedToolCall[], file: string) => Promise<PendingApproval['request']>;
}

/** The texts of a turn's agent.message events, in order. */
function messageTexts(turn: TurnRun): unknown[] {
  return turn.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text);
}

/**
 * What every agent's turn that writes through the workspace MCP shows: the call, its result paired
 * by callId, then `answer` as the only message; and no mission token in its output. Returns the
 * trail and the call's event for the agent's own checks.
 */
export function expectMcpWriteTurn(turn: TurnRun, answer: string): { trail: string[]; call: number; callEvent: ParsedEvent } {
  const trail = eventTrail(turn.events);
  const call = trail.indexOf('tool.call:mcp__garrison__write_file');
  expect(call, trail.join(' ')).toBeGreaterThanOrEqual(0);
  expect(trail.indexOf('tool.result')).toBeGreaterThan(call);
  expect(trail.lastIndexOf('agent.message')).toBeGreaterThan(trail.indexOf('tool.result'));
  const callEvent = turn.events.find((event) => event.type === 'tool.call')!;
  expect(turn.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ callId: callEvent.payload.callId, isError: false, output: expect.stringContaining('wrote') });
  expect(messageTexts(turn)).toEqual([answer]);
  expect(turn.lines.join('\n')).not.toContain(MISSION_TOKEN);
  return { trail, call, callEvent };
}

/**
 * Registers the file's beforeAll/afterAll: a scripted model server the containers reach through
 * the bridge (hence 0.0.0.0), and a scratch volume removed after the file, passed or not.
 */
export function useAgentContainerSuite(agent: AgentKind): AgentContainerSuite {
  const adapter = findAgentAdapter(agent)!;
  let model: ScriptedModelServer | undefined;
  let volume: string | undefined;
  let gateway: string | undefined;

  beforeAll(async () => {
    model = await startScriptedModelServer({ host: '0.0.0.0' });
    volume = await createVolume();
    gateway = await bridgeGateway();
  });

  afterAll(async () => {
    await model?.close();
    if (volume) await removeVolume(volume);
  });

  const started = (): { model: ScriptedModelServer; volume: string; gateway: string } => {
    if (!model || !volume || !gateway) throw new Error('the container suite is used before its beforeAll ran');
    return { model, volume, gateway };
  };

  const runTurn: AgentContainerSuite['runTurn'] = (spec, turn, base = launchBase(spec.missionId, spec.policy)) =>
    runTurnInContainer(adapter, adapter.buildLaunch(spec, turn, base), started().volume);

  const record: AgentContainerSuite['record'] = (name, turn) => {
    if (!process.env.GARRISON_RECORD_FIXTURES) return;
    const dir = join(import.meta.dirname, 'fixtures', agent);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), `${turn.lines.join('\n')}\n`);
  };

  return {
    get model() {
      return started().model;
    },
    get volume() {
      return started().volume;
    },
    missionSpec: (policy) => {
      const { model: server, gateway: host } = started();
      return {
        missionId: `hadapters${randomBytes(6).toString('hex')}`,
        agent,
        prompt: 'unused: turns carry the prompt',
        startSeq: 1,
        attempt: 1,
        policy,
        watchdog: DEFAULT_WATCHDOG,
        gateway: { anthropicBaseUrl: `http://${host}:${server.port}`, openaiBaseUrl: `http://${host}:${server.port}/v1`, token: MISSION_TOKEN },
      };
    },
    runTurn,
    record,
    chatBodiesSince: (from) => started().model.requests.slice(from).filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as ChatBody),
    expectFollowUpResumes: async (spec, base, first) => {
      const before = started().model.requests.length;
      started().model.script({ text: 'Still here, and I remember the file.' });
      const second = await runTurn(spec, { number: 2, prompt: 'Anything else?', resumeSessionId: first.sessionId }, base);
      record('resume-turn.jsonl', second);
      expect(second.exitCode, explain(second)).toBe(0);
      expect(second.sessionId).toBe(first.sessionId);
      expect(messageTexts(second)).toEqual(['Still here, and I remember the file.']);
      return before;
    },
    expectWriteAfterApproval: async (spec, prompt, toolCalls, file) => {
      const base = launchBase(spec.missionId, spec.policy);
      started().model.script({ toolCalls }, { text: 'Done after approval.' });
      const turn = runTurn(spec, { number: 1, prompt }, base);
      const pending = await waitForApproval(started().volume, base.missionDir, turn);
      await answerApproval(pending, base.missionDir, 'allow');

      const done = await turn;
      expect(done.exitCode, explain(done)).toBe(0);
      expect(await inVolume(started().volume, `cat /workspace/${file}`)).toBe('approved\n');
      expect(done.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ isError: false });
      expect(messageTexts(done)).toEqual(['Done after approval.']);
      return pending.request;
    },
  };
}
