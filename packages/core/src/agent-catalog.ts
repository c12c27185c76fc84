/**
 * The agents Garrison knows, zod-free: the in-container runner bundles this (a lean bundle starts
 * about twice as fast), and the API and dashboard read the same table.
 */
import type { AgentKind, ModelProvider } from './agents.ts';

/** What the dashboard and the API need to know of an agent before dispatch. */
export interface AgentInfo {
  kind: AgentKind;
  label: string;
  /** The CLI inside the workspace image; null for the shell, which needs none. */
  command: string | null;
  /** Whose credential its model calls use; null for the shell, which calls no model. */
  provider: ModelProvider | null;
  /** A follow-up continues the same agent session (else the API refuses it, never starts fresh). */
  resume: boolean;
  defaultModel: string | null;
  models: readonly string[];
}

export const AGENTS: Record<AgentKind, AgentInfo> = {
  'claude-code': {
    kind: 'claude-code',
    label: 'Claude Code',
    command: 'claude',
    provider: 'anthropic',
    resume: true,
    defaultModel: 'claude-sonnet-4-5',
    models: ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'],
  },
  codex: {
    kind: 'codex',
    label: 'Codex',
    command: 'codex',
    provider: 'openai',
    resume: true,
    // Names the pinned Codex (0.169) has metadata for; others work with fallback metadata and a warning.
    defaultModel: 'gpt-5.3-codex',
    models: ['gpt-5.3-codex', 'gpt-5.2-codex', 'gpt-5.5'],
  },
  opencode: {
    kind: 'opencode',
    label: 'OpenCode',
    command: 'opencode',
    provider: 'openai',
    resume: true,
    defaultModel: 'gpt-5',
    models: ['gpt-5', 'gpt-5-mini', 'gpt-4.1'],
  },
  pi: {
    kind: 'pi',
    label: 'pi',
    command: 'pi',
    provider: 'openai',
    resume: true,
    defaultModel: 'gpt-5',
    models: ['gpt-5', 'gpt-5-mini', 'gpt-4.1'],
  },
  shell: { kind: 'shell', label: 'Shell', command: null, provider: null, resume: false, defaultModel: null, models: [] },
};

