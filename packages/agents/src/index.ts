import type { AgentKind } from '@garrison/core';
import type { AgentAdapter } from './adapter.ts';
import { claudeCodeAdapter } from './claude-code.adapter.ts';
import { codexAdapter } from './codex.adapter.ts';
import { openCodeAdapter } from './opencode.adapter.ts';
import { piAdapter } from './pi.adapter.ts';
import { shellAdapter } from './shell.adapter.ts';

export type { AgentAdapter, AgentFile, AgentLaunch, AgentTurn, LaunchBase, OutputParser, ParsedEvent } from './adapter.ts';
export { INHERITED_ENV, pickInheritedEnv, baseAgentEnv } from './adapter.ts';
export { capText, rawOutputEvent, parseJsonLine } from './event-text.ts';

const ADAPTERS: Partial<Record<AgentKind, AgentAdapter>> = {
  shell: shellAdapter,
  'claude-code': claudeCodeAdapter,
  codex: codexAdapter,
  opencode: openCodeAdapter,
  pi: piAdapter,
};

export function findAgentAdapter(kind: AgentKind): AgentAdapter | undefined {
  return ADAPTERS[kind];
}
