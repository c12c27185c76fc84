'use client';

import type { AgentAvailability } from '../lib/api-types';
import { inputClass } from './ui';

const labelClass = 'block text-sm font-medium';

export interface AgentChoices {
  model: string;
  policy: 'auto' | 'ask' | 'read-only';
  maxCostUsd: string;
  maxRuntimeMin: string;
}

export const DEFAULT_CHOICES: AgentChoices = { model: '', policy: 'auto', maxCostUsd: '', maxRuntimeMin: '' };

/** The body fields a model agent's mission adds: only what the person set, so defaults stay the API's. */
export function choicesToBody(choices: AgentChoices): Record<string, unknown> {
  const limits: Record<string, number> = {};
  if (choices.maxCostUsd.trim()) limits.maxCostUsd = Number(choices.maxCostUsd);
  if (choices.maxRuntimeMin.trim()) limits.maxRuntimeS = Math.round(Number(choices.maxRuntimeMin) * 60);
  return {
    ...(choices.model ? { model: choices.model } : {}),
    policy: choices.policy,
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

/** Model, approval policy and limits of a model agent's mission; the shell needs none of them. */
export function AgentOptions({ agent, choices, onChange }: { agent: AgentAvailability; choices: AgentChoices; onChange(next: AgentChoices): void }) {
  const set = (patch: Partial<AgentChoices>) => onChange({ ...choices, ...patch });
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div className="space-y-1">
        <label htmlFor="mission-model" className={labelClass}>Model</label>
        <select id="mission-model" className={inputClass} value={choices.model} onChange={(event) => set({ model: event.target.value })}>
          <option value="">{agent.defaultModel ? `${agent.defaultModel} (default)` : 'Default'}</option>
          {agent.models
            .filter((model) => model !== agent.defaultModel)
            .map((model) => (
              <option key={model} value={model}>
                {model}
              </option>
            ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="mission-policy" className={labelClass}>Approvals</label>
        <select id="mission-policy" className={inputClass} value={choices.policy} onChange={(event) => set({ policy: event.target.value as AgentChoices['policy'] })}>
          <option value="auto">Auto: anything inside the workspace</option>
          <option value="ask">Ask: every change waits for approval</option>
          <option value="read-only">Read-only: look, never touch</option>
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="mission-cost" className={labelClass}>Max cost (USD)</label>
        <input id="mission-cost" className={inputClass} type="number" min="0.01" step="0.01" inputMode="decimal" placeholder="no limit" value={choices.maxCostUsd} onChange={(event) => set({ maxCostUsd: event.target.value })} />
      </div>
      <div className="space-y-1">
        <label htmlFor="mission-runtime" className={labelClass}>Max runtime (min)</label>
        <input id="mission-runtime" className={inputClass} type="number" min="1" step="1" inputMode="numeric" placeholder="no limit" value={choices.maxRuntimeMin} onChange={(event) => set({ maxRuntimeMin: event.target.value })} />
      </div>
    </div>
  );
}
