import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db, SecretBox } from '@garrison/db';
import { requireCaller } from './http/auth.middleware.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import cookieParser from 'cookie-parser';
import { createAttemptLimits } from './auth/attempt-limits.ts';
import { createCsrfGuard } from './http/csrf.ts';
import { requestLog } from './http/request-log.ts';
import { corsForOrigin, securityHeaders } from './http/security-headers.ts';
import { auditDeniedWrites } from './http/audit-denied.ts';
import type { MissionServiceDeps } from './missions/mission.service.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import type { QueueCounts } from './metrics/metrics.service.ts';
import { missionRoutes } from './routes/missions.routes.ts';
import { imageRoutes, type MaintenanceQueue } from './routes/images.routes.ts';
import { templateRoutes } from './routes/templates.routes.ts';
import { workspaceRoutes } from './routes/workspaces.routes.ts';
import type { WorkspaceServiceDeps } from './workspaces/workspace.service.ts';
import type { WorkspaceFilesDeps } from './files/workspace-files.service.ts';
import { workspaceFileRoutes } from './routes/workspace-files.routes.ts';
import { workspaceStatsRoutes } from './routes/workspace-stats.routes.ts';
import { credentialRoutes } from './routes/credentials.routes.ts';
import { usageRoutes } from './routes/usage.routes.ts';
import { agentRoutes } from './routes/agents.routes.ts';
import { teamRoutes } from './routes/teams.routes.ts';
import { memberRoutes } from './routes/members.routes.ts';
import { inviteRoutes, publicInviteRoutes } from './routes/invites.routes.ts';
import { tokenRoutes } from './routes/tokens.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { writesNeedRole } from './http/role.middleware.ts';
import { overviewRoutes } from './routes/overview.routes.ts';
import { repositoryRoutes } from './routes/repositories.routes.ts';
import { teamOwnershipRoutes } from './routes/team-ownership.routes.ts';
import { redisLiveRooms } from './sockets/live-rooms.ts';
import type { OverviewDeps } from './overview/overview.service.ts';

export interface AppDeps extends MissionServiceDeps, WorkspaceServiceDeps, WorkspaceFilesDeps, OverviewDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  maintenanceQueue: MaintenanceQueue;
  log: Logger;
  sessionTtlHours: number;
  /** Seals provider credentials (GARRISON_SECRET_KEY). */
  secrets: SecretBox;
  /** Job counts of the API's queues, for /metrics. */
  queueCounts: () => Promise<QueueCounts>;
  /** When set, /metrics wants it as a bearer token. */
  metricsToken?: string | undefined;
  /** Signs CSRF tokens (CSRF_SECRET, or derived from GARRISON_SECRET_KEY). */
  csrfSecret: string;
  /** The one cross-origin browser origin allowed (WEB_ORIGIN): CORS with credentials, sockets, sign-in. */
  webOrigin?: string;
}

/** The HTTP app without a listener, so tests drive the same app the server runs. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', req.requestId);
    next();
  });
  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(corsForOrigin(deps.webOrigin));
  app.use(cookieParser());
  app.use(express.json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));

  // Ending a membership or session also drops its sockets, on every API node (through Redis).
  const live = redisLiveRooms(deps.redis, deps.redisPrefix);
  const limits = createAttemptLimits(deps.redis, deps.redisPrefix);
  const csrf = createCsrfGuard(deps.csrfSecret, deps.webOrigin ? [deps.webOrigin] : []);
  const v1 = express.Router();
  v1.use(healthRoutes(deps));
  v1.use(authRoutes({ ...deps, live, limits, csrf }));
  v1.use(publicInviteRoutes({ ...deps, limits, csrf }));
  v1.use(requireCaller(deps.db));
  v1.use(csrf.sessionWrites);
  v1.use(teamRoutes({ ...deps, live }));
  v1.use(teamOwnershipRoutes({ ...deps, live }));
  v1.use(memberRoutes({ ...deps, live }));
  v1.use(inviteRoutes(deps));
  v1.use(tokenRoutes({ ...deps, limits, live }));
  v1.use(auditRoutes(deps));
  // Viewers look; changing workspaces and missions (files, messages, approvals included) takes a member.
  v1.use(['/workspaces', '/missions'], writesNeedRole('member', 'change workspaces and missions'));
  v1.use(workspaceRoutes(deps));
  v1.use(workspaceFileRoutes(deps));
  v1.use(workspaceStatsRoutes(deps));
  v1.use(templateRoutes(deps));
  v1.use(imageRoutes(deps));
  v1.use(missionRoutes(deps));
  v1.use(repositoryRoutes(deps));
  v1.use(credentialRoutes(deps));
  v1.use(agentRoutes(deps));
  v1.use(overviewRoutes(deps));
  v1.use(usageRoutes(deps));
  app.use('/api/v1', v1);
  app.use(metricsRoutes(deps));

  app.use(notFoundHandler());
  app.use(auditDeniedWrites(deps.db, deps.log));
  app.use(createErrorHandler(deps.log));
  return app;
}
