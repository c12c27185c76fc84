import { DomainError, ErrorCode, hasRole, type TeamRole } from '@garrison/core';
import type { Caller } from './caller.ts';

const WHO: Record<TeamRole, string> = {
  owner: 'owners',
  admin: 'owners and admins',
  member: 'members, admins and owners',
  viewer: 'team members',
};

/** Refuses with a message naming who may do it and what the caller is, so they know whom to ask. */
export function requireRole(caller: Caller, atLeast: TeamRole, action: string): void {
  if (hasRole(caller.role, atLeast)) return;
  throw new DomainError(ErrorCode.Forbidden, `Only ${WHO[atLeast]} may ${action}; you are ${caller.role === 'admin' ? 'an' : 'a'} ${caller.role} of this team.`, {
    requiredRole: atLeast,
    role: caller.role,
  });
}
