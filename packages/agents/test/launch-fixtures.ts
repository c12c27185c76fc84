import type { AgentKind } from '@garrison/core';
import { DEFAULT_WATCHDOG, type RunnerSpec } from '@garrison/core/runner-constants';
import { findAgentAdapter, type AgentAdapter, type AgentLaunch, type LaunchBase } from '../src/index.ts';

export interface LaunchFixture {
  adapter: AgentAdapter;
  /** A made-up workspace container for the mission, with a CA bundle to inherit. */
  base: LaunchBase;
  /** The first turn's launch, with the spec fields, prompt or resume a test varies. */
  launch(spec?: Partial<RunnerSpec>, turn?: { prompt?: string; resumeSessionId?: string }, base?: LaunchBase): AgentLaunch;
}

/** What an adapter's unit tests build launches from; each file picks its own mission id. */
export function launchFixture(agent: AgentKind, missionId: string): LaunchFixture {
  const adapter = findAgentAdapter(agent)!;
  // An auto-policy mission whose gateway is never called: these tests only build launches.
  const spec: RunnerSpec = {
    missionId,
    agent,
    prompt: 'unused',
    startSeq: 1,
    attempt: 1,
    policy: 'auto',
    watchdog: DEFAULT_WATCHDOG,
    gateway: { anthropicBaseUrl: 'http://gateway:4000', openaiBaseUrl: 'http://gateway:4000/v1', token: 'gw-mission-token' },
  };
  const base: LaunchBase = {
    workspaceDir: '/workspace',
    homeDir: '/home/agent',
    inherited: { NODE_EXTRA_CA_CERTS: '/ca.crt' },
    missionDir: `/workspace/.garrison/missions/${missionId}`,
    mcp: { command: '/usr/bin/node', args: ['/opt/garrison/workspace-mcp.cjs'], env: { GARRISON_POLICY: 'auto', GARRISON_WORKSPACE_DIR: '/workspace' } },
  };
  return {
    adapter,
    base,
    launch: (overrides = {}, turn = {}, launchBase = base) =>
      adapter.buildLaunch({ ...spec, ...overrides }, { number: 1, prompt: turn.prompt ?? 'Fix the tests', ...(turn.resumeSessionId ? { resumeSessionId: turn.resumeSessionId } : {}) }, launchBase),
  };
}
