import type { IncomingHttpHeaders } from 'node:http';
import { isActiveStatus, type ModelProvider } from '@garrison/core';
import { findMissionForGatewayToken, hashGatewayToken, type Db, type GatewayMission, type MissionCounters } from '@garrison/db';
import { TtlCache } from './ttl-cache.ts';

/** Anthropic clients send their key as x-api-key (some as a bearer); OpenAI clients as a bearer. */
export function presentedToken(provider: ModelProvider, headers: IncomingHttpHeaders): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  const apiKey = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : '';
  if (provider === 'anthropic' && apiKey) return apiKey;
  return bearer ?? null;
}

export type TokenCheck = { ok: true; mission: GatewayMission } | { ok: false; message: string };

/**
 * Token -> mission, checked on every request. Lookups are cached for a second at most: a
 * revoked token or an ended mission is refused within that. The gateway's own metering updates
 * the cached counters at once, so budgets never trail by the cache's age.
 */
export class MissionTokens {
  private readonly cache = new TtlCache<string, GatewayMission>(1000);

  constructor(private readonly db: Db) {}

  async check(token: string | null): Promise<TokenCheck> {
    if (!token) return { ok: false, message: 'No API key was sent. Garrison gives each mission its own model gateway token; agents get it as their API key.' };
    const hash = hashGatewayToken(token);
    const mission = await this.cache.getOrLoad(hash, () => findMissionForGatewayToken(this.db, token));
    if (!mission) {
      return { ok: false, message: 'The model gateway does not know this token: it belongs to no mission, or its mission has ended and the token was revoked.' };
    }
    if (!isActiveStatus(mission.status)) {
      return { ok: false, message: `Mission ${mission.id} has ended (${mission.status}); its model gateway token is no longer valid.` };
    }
    return { ok: true, mission };
  }

  applyCounters(token: string, counters: MissionCounters): void {
    this.cache.update(hashGatewayToken(token), (mission) => ({ ...mission, ...counters }));
  }
}
