import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db, SecretBox } from '@garrison/db';
import { requireCaller } from './http/auth.middleware.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import type { MissionServiceDeps } from './missions/mission.service.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
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
  app.use(express.json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));

  const v1 = express.Router();
  v1.use(healthRoutes(deps));
  v1.use(authRoutes(deps));
  v1.use(publicInviteRoutes(deps));
  v1.use(requireCaller(deps.db));
  v1.use(teamRoutes(deps));
  v1.use(memberRoutes(deps));
  v1.use(inviteRoutes(deps));
  v1.use(tokenRoutes(deps));
  v1.use(auditRoutes(deps));
  // Viewers look; changing workspaces and missions (files, messages, approvals included) takes a member.
  v1.use(['/workspaces', '/missions'], writesNeedRole('member', 'change workspaces and missions'));
  v1.use(workspaceRoutes(deps));
  v1.use(workspaceFileRoutes(deps));
  v1.use(workspaceStatsRoutes(deps));
  v1.use(templateRoutes(deps));
  v1.use(imageRoutes(deps));
  v1.use(missionRoutes(deps));
  v1.use(credentialRoutes(deps));
  v1.use(agentRoutes(deps));
  v1.use(overviewRoutes(deps));
  v1.use(usageRoutes(deps));
  app.use('/api/v1', v1);

  app.use(notFoundHandler());
  app.use(createErrorHandler(deps.log));
  return app;
}
