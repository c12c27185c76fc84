import type { AgentKind } from '@garrison/core';
import type { AgentAdapter } from './adapter.ts';
import { shellAdapter } from './shell.adapter.ts';

export type { AgentAdapter, AgentLaunch, LaunchBase } from './adapter.ts';
export { INHERITED_ENV, pickInheritedEnv } from './adapter.ts';

const ADAPTERS: Partial<Record<AgentKind, AgentAdapter>> = {
  shell: shellAdapter,
};

export function findAgentAdapter(kind: AgentKind): AgentAdapter | undefined {
  return ADAPTERS[kind];
}
