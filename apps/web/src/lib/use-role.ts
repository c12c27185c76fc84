'use client';

import type { Me, TeamRole } from './api-types';
import { queryKeys, useApiQuery } from './queries';

const RANK: Record<TeamRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Who is signed in, their active team and role (GET /auth/me), shared by every view. */
export function useMe() {
  return useApiQuery<Me>(queryKeys.me, '/auth/me', { staleTime: 60_000 });
}

/** The signed-in person's role in the active team; undefined while it loads. */
export function useRole(): TeamRole | undefined {
  return useMe().data?.role;
}

/** Whether the role reaches `atLeast`; undefined while it loads, so callers neither flash nor hide early. */
export function useHasRole(atLeast: TeamRole): boolean | undefined {
  const role = useRole();
  return role ? RANK[role] >= RANK[atLeast] : undefined;
}

/** Members and up change workspaces and missions; viewers only look (the API answers 403). */
export function useCanWrite(): boolean | undefined {
  return useHasRole('member');
}

export const VIEWER_REASON = 'You are a viewer of this team: you can look but not change anything. Ask an owner or admin to make you a member.';
