import type { Redis } from 'ioredis';
import { AGENTS, isAgentAvailable, type AgentInfo, type ModelProvider } from '@garrison/core';
import { listCredentials, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { freshHeartbeats } from '../workers/worker-heartbeats.ts';

export interface AgentCatalogDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
}

const PROVIDER_NAMES: Record<ModelProvider, string> = { anthropic: 'Anthropic', openai: 'OpenAI' };

/** What the image holds, as the workers report it: no worker, not probed yet, or the commands found. */
type ImageReport = { kind: 'no_worker' } | { kind: 'not_probed' } | { kind: 'probed'; commands: Set<string> };

async function imageReport(redis: Redis, prefix: string): Promise<ImageReport> {
  const beats = await freshHeartbeats(redis, prefix);
  if (beats.length === 0) return { kind: 'no_worker' };
  const probed = beats.filter((beat) => Array.isArray(beat.agentCommands));
  if (probed.length === 0) return { kind: 'not_probed' };
  return { kind: 'probed', commands: new Set(probed.flatMap((beat) => beat.agentCommands ?? [])) };
}

/** Sentences a person can act on, in the order they would fix them. */
function reasonsWhyUnavailable(agent: AgentInfo, image: ImageReport, providers: Set<string>): string[] {
  const reasons: string[] = [];
  if (!isAgentAvailable(agent.kind)) reasons.push(`This build of Garrison cannot run ${agent.label} yet.`);
  if (agent.command) {
    if (image.kind === 'no_worker') reasons.push('No worker is running to report which agents the image has.');
    else if (image.kind === 'not_probed') reasons.push('The worker has not yet checked which agents the workspace image has; try again in a few seconds.');
    else if (!image.commands.has(agent.command)) {
      reasons.push(`The workspace image has no \`${agent.command}\` command (the ${agent.label} CLI); rebuild the image from the current Dockerfile.`);
    }
  }
  if (agent.provider && !providers.has(agent.provider)) {
    const name = PROVIDER_NAMES[agent.provider];
    reasons.push(`The team has no ${name} credential; an owner or admin can add one (PUT /api/v1/credentials/${agent.provider}).`);
  }
  return reasons;
}

export async function listTeamAgents(deps: AgentCatalogDeps, caller: Caller) {
  const [credentials, image] = await Promise.all([listCredentials(deps.db, caller.teamId), imageReport(deps.redis, deps.redisPrefix)]);
  const providers = new Set<string>(credentials.map((credential) => credential.provider));
  return Object.values(AGENTS).map((agent) => {
    const unavailableReasons = reasonsWhyUnavailable(agent, image, providers);
    return {
      kind: agent.kind,
      label: agent.label,
      provider: agent.provider,
      resume: agent.resume,
      models: [...agent.models],
      defaultModel: agent.defaultModel,
      available: unavailableReasons.length === 0,
      unavailableReasons,
    };
  });
}
