import { createHmac } from 'node:crypto';
import { AGENTS, DEFAULT_MISSION_POLICY, MissionLimits, MissionPolicy, type AgentKind, type RunnerSpec } from '@garrison/core';
import { issueGatewayToken, latestFollowUpText, type Db, type Mission } from '@garrison/db';

/** How the worker configures agents: where they reach the model gateway, and the watchdog. */
export interface AgentRuntimeConfig {
  /** The gateway's port on the host; workspaces reach it at the host's address on their network. */
  gatewayPort: number;
  /** Overrides that address entirely (a gateway elsewhere, reachable from workspaces). */
  gatewayUrl?: string;
  /** Signs mission tokens; the same GARRISON_SECRET_KEY the API and gateway use. */
  secretKey: string;
  /** The key being rotated away from, if any: repository credentials sealed with it still open. */
  secretKeyPrevious?: string;
  watchdog: { warnAfterS: number; failAfterS: number };
}

/**
 * The token a mission attempt's agent holds for the gateway. Derived, not random: a worker that
 * restarts before the runner wrote anything must hand out the same token the agent may already
 * hold. Only its sha256 is stored; the worker revokes it when the mission ends.
 */
export function missionGatewayToken(secretKey: string, missionId: string, attempt: number): string {
  return `gwt_${createHmac('sha256', secretKey).update(`garrison-gateway-token:${missionId}:${attempt}`).digest('base64url')}`;
}

export function gatewayBaseUrl(config: AgentRuntimeConfig, hostAddress: string | null): string | null {
  if (config.gatewayUrl) return config.gatewayUrl.replace(/\/+$/, '');
  return hostAddress ? `http://${hostAddress}:${config.gatewayPort}` : null;
}

/** An agent committing in its worktree needs an identity; a template's env may set its own. */
const GIT_AGENT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Garrison agent',
  GIT_AUTHOR_EMAIL: 'agent@garrison.invalid',
  GIT_COMMITTER_NAME: 'Garrison agent',
  GIT_COMMITTER_EMAIL: 'agent@garrison.invalid',
};

/** The mission's policy as frozen at dispatch (`{mode}`), or the default. */
export function policyOf(mission: Pick<Mission, 'policy'>): MissionPolicy {
  const parsed = MissionPolicy.safeParse((mission.policy as { mode?: unknown } | null)?.mode);
  return parsed.success ? parsed.data : DEFAULT_MISSION_POLICY;
}

export function limitsOf(mission: Pick<Mission, 'limits'>): MissionLimits {
  const parsed = MissionLimits.safeParse(mission.limits ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * What the runner gets for an attempt. Attempt 1 runs the mission's prompt; a later attempt (a
 * follow-up to an ended mission) runs the follow-up and resumes the agent's session.
 */
export async function buildRunnerSpec(
  db: Db,
  config: AgentRuntimeConfig,
  input: { mission: Mission; attempt: number; env: Record<string, string>; hostAddress: string | null; mayStartAgent: boolean },
): Promise<RunnerSpec> {
  const { mission, attempt } = input;
  const agent = mission.agent as AgentKind;
  const info = AGENTS[agent];
  const prompt = attempt > 1 ? ((await latestFollowUpText(db, mission.id)) ?? mission.prompt) : mission.prompt;
  const { maxRuntimeS } = limitsOf(mission);
  const spec: RunnerSpec = {
    missionId: mission.id,
    agent,
    prompt,
    startSeq: mission.lastSeq + 1,
    attempt,
    env: mission.worktreePath ? { ...GIT_AGENT_IDENTITY, ...input.env } : input.env,
    policy: policyOf(mission),
    watchdog: config.watchdog,
    ...(mission.model ?? info.defaultModel ? { model: (mission.model ?? info.defaultModel)! } : {}),
    ...(attempt > 1 && mission.agentSessionId ? { resumeSessionId: mission.agentSessionId } : {}),
    ...(maxRuntimeS ? { maxRuntimeS } : {}),
    ...(mission.worktreePath ? { cwd: mission.worktreePath } : {}),
  };
  const base = gatewayBaseUrl(config, input.hostAddress);
  // Only a launch that may start the agent hands out a token; a follow-only launch starts nothing.
  if (info.provider && base && input.mayStartAgent) {
    const token = await issueGatewayToken(db, mission.id, missionGatewayToken(config.secretKey, mission.id, attempt));
    spec.gateway = { anthropicBaseUrl: `${base}/anthropic`, openaiBaseUrl: `${base}/openai/v1`, token };
  }
  return spec;
}
