import type { RequestHandler } from 'express';
import type { TeamRole } from '@garrison/core';
import { requireRole } from '../auth/roles.ts';
import { callerOf } from './auth.middleware.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Below `atLeast`, the routes it guards are read-only: any method that can change something is refused. */
export function writesNeedRole(atLeast: TeamRole, action: string): RequestHandler {
  return (req, _res, next) => {
    if (!SAFE_METHODS.has(req.method)) requireRole(callerOf(req), atLeast, action);
    next();
  };
}
