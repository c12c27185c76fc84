import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { QueueName, type MissionLimits, type MissionStatus, type ModelProvider } from '@garrison/core';
import { createDb, createSecretBox, issueGatewayToken, putCredential, type Db, type SecretBox } from '@garrison/db';
import { TEST_DATABASE_URL, TEST_REDIS_URL, deleteTeam, seedTeam, startScriptedModelServer, type ScriptedModelServer, type TestTeam } from '@garrison/testkit';
import { parseGatewayEnv } from '../src/env.ts';
import { startGateway, type RunningGateway } from '../src/server.ts';

export interface GatewayFixture {
  gateway: RunningGateway;
  /** The provider the team's credentials point at (through their baseUrl). */
  upstream: ScriptedModelServer;
  db: Db;
  secrets: SecretBox;
  team: TestTeam;
  workspaceId: string;
  controlQueue: Queue;
  /** A mission of the team in `status` (running by default) with a fresh gateway token. */
  mission(options?: { status?: MissionStatus; limits?: MissionLimits }): Promise<{ id: string; token: string }>;
  /** Stores the team's key for a provider, pointed at `upstream` unless told otherwise; returns the key. */
  setCredential(provider: ModelProvider, options?: { baseUrl?: string | null }): Promise<string>;
  close(): Promise<void>;
}

/** Base URLs by each provider's convention: Anthropic's without /v1, OpenAI's with it. */
export function baseUrlOf(server: ScriptedModelServer, provider: ModelProvider): string {
  return provider === 'anthropic' ? server.url : `${server.url}/v1`;
}

/**
 * The real gateway in-process on a free port, with its own Redis prefix and a fresh team whose
 * credentials point at a scripted model server. No worker: stop requests stay in the queue.
 */
export async function startGatewayFixture(extraEnv: Record<string, string> = {}): Promise<GatewayFixture> {
  const secretKey = randomBytes(32).toString('base64');
  const redisPrefix = `gt-${randomBytes(4).toString('hex')}`;
  const upstream = await startScriptedModelServer({ recordCredentialHashes: true });
  const env = parseGatewayEnv({
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    GARRISON_SECRET_KEY: secretKey,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    ...extraEnv,
  });
  const gateway = await startGateway({ env, log: pino({ level: 'silent' }) });
  const db = createDb(TEST_DATABASE_URL, { poolSize: 4 });
  const secrets = createSecretBox({ key: secretKey });
  const team = await seedTeam(db);
  const workspace = await db.prisma.workspace.create({ data: { teamId: team.teamId, name: `gw-${randomBytes(3).toString('hex')}`, status: 'running' } });
  const controlQueue = new Queue(QueueName.MissionControl, { connection: { url: TEST_REDIS_URL }, prefix: redisPrefix });

  return {
    gateway,
    upstream,
    db,
    secrets,
    team,
    workspaceId: workspace.id,
    controlQueue,
    async mission(options = {}) {
      const mission = await db.prisma.mission.create({
        data: { teamId: team.teamId, workspaceId: workspace.id, agent: 'claude-code', prompt: 'gateway test', status: options.status ?? 'running', limits: options.limits ?? {} },
      });
      return { id: mission.id, token: await issueGatewayToken(db, mission.id) };
    },
    async setCredential(provider, options = {}) {
      const apiKey = `sk-team-${provider}-${randomBytes(12).toString('hex')}`;
      const baseUrl = options.baseUrl === undefined ? baseUrlOf(upstream, provider) : options.baseUrl;
      await putCredential(db, secrets, { teamId: team.teamId, provider, apiKey, baseUrl });
      return apiKey;
    },
    async close() {
      await gateway.close();
      await upstream.close();
      await controlQueue.obliterate({ force: true }).catch(() => {});
      await controlQueue.close();
      await deleteTeam(db, team);
      await db.close();
    },
  };
}

/**
 * The fixture most gateway test files share, opened before their tests and closed after them,
 * with the team's keys for both providers stored. The returned object is filled in by beforeAll:
 * read it inside tests and hooks only.
 */
export function useGatewayFixtureWithKeys(): GatewayFixture {
  const fx = {} as GatewayFixture;
  let opened: GatewayFixture | undefined;
  beforeAll(async () => {
    opened = await startGatewayFixture();
    // The fixture's functions close over their state, so copying its fields keeps them working.
    Object.assign(fx, opened);
    await fx.setCredential('anthropic');
    await fx.setCredential('openai');
  });
  afterAll(async () => {
    await opened?.close();
  });
  return fx;
}

export async function callGateway(
  fx: GatewayFixture,
  path: string,
  options: { token?: string; provider?: ModelProvider; body?: unknown; rawBody?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const provider = options.provider ?? (path.startsWith('/anthropic/') ? 'anthropic' : 'openai');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) {
    if (provider === 'anthropic') headers['x-api-key'] = options.token;
    else headers.authorization = `Bearer ${options.token}`;
  }
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return fetch(`${fx.gateway.url}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}
