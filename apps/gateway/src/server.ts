import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createDb, createSecretBox, type Db } from '@garrison/db';
import { CallLedger } from './call-ledger.ts';
import type { GatewayEnv } from './env.ts';
import { createGatewayHandler } from './gateway-handler.ts';
import { MissionTokens } from './mission-auth.ts';
import { createBudgetStopper } from './mission-control.ts';
import { sendGatewayError } from './provider-errors.ts';
import { providerOfPath } from './routes.ts';

/** For compose and tests: the process serves and reaches Postgres (it needs it for every call). */
async function answerHealth(db: Db, res: ServerResponse): Promise<void> {
  const ok = await db.pool.query('SELECT 1').then(() => true, () => false);
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok, db: ok ? 'ok' : 'down' }));
}

export interface RunningGateway {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Wires the adapters and listens; main.ts and in-process tests both start it here. */
export async function startGateway(options: { env: GatewayEnv; log: Logger }): Promise<RunningGateway> {
  const { env, log } = options;
  const secrets = createSecretBox({ key: env.GARRISON_SECRET_KEY, previousKey: env.GARRISON_SECRET_KEY_PREVIOUS });
  const db = createDb(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const tokens = new MissionTokens(db);
  const stopper = createBudgetStopper(redis, env.REDIS_PREFIX, log);
  const ledger = new CallLedger({ db, tokens, stopper, log });
  const handle = createGatewayHandler({
    db,
    secrets,
    tokens,
    ledger,
    stopper,
    upstreams: { anthropic: env.ANTHROPIC_UPSTREAM_URL, openai: env.OPENAI_UPSTREAM_URL },
    log,
  });

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return void answerHealth(db, res);
    handle(req, res).catch((error: unknown) => {
      // Only the error, never the request: its headers carry the mission token.
      log.error({ err: error, path: req.url?.split('?')[0] }, 'gateway request failed');
      sendGatewayError(res, providerOfPath(req.url ?? '/'), 'upstream_unreachable', 'The model gateway failed on its side; it has been logged.');
    });
  });
  // Model answers can take minutes before the first byte (long thinking): no request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, host: env.GATEWAY_HOST }, 'model gateway listening');

  return {
    port,
    url: `http://${env.GATEWAY_HOST === '0.0.0.0' ? '127.0.0.1' : env.GATEWAY_HOST}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await ledger.drain();
      await stopper.close();
      await db.close();
      redis.disconnect();
    },
  };
}
