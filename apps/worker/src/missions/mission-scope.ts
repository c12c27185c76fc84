import { findMissionScope, type Db } from '@garrison/db';

export type MissionScope = { teamId: string; workspaceId: string };
export type ScopeOf = (missionId: string) => Promise<MissionScope | null>;

const MAX_ENTRIES = 5000;

/**
 * A mission's team and workspace never change, so each is read once per worker (and forgotten,
 * oldest first, past MAX_ENTRIES): a status broadcast carries them without a query per event.
 */
export function cachedMissionScope(db: Db, maxEntries = MAX_ENTRIES): ScopeOf {
  const cache = new Map<string, MissionScope>();
  return async (missionId) => {
    const known = cache.get(missionId);
    if (known) return known;
    const scope = await findMissionScope(db, missionId);
    if (!scope) return null;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(missionId, scope);
    return scope;
  };
}
