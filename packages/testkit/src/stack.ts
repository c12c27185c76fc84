import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from './managed-process.ts';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/garrison_test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StackOptions {
  /** Also run the Next.js dashboard (built beforehand by `npm run build -w @garrison/web`). */
  web?: boolean;
  /** Extra env for every process, e.g. faster stall recovery for fault tests. */
  env?: Record<string, string>;
}

export interface RunningStack {
  apiUrl: string;
  webUrl: string | null;
  /** The model gateway, on all interfaces so workspace containers reach it through their network's gateway. */
  gatewayUrl: string;
  gatewayPort: number;
  redisPrefix: string;
  api: ManagedProcess;
  worker: ManagedProcess;
  gateway: ManagedProcess;
  web: ManagedProcess | null;
  stop(): Promise<void>;
}

function tsxProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  // `node --import tsx` keeps one process per app, so a SIGKILL in a fault test hits the app itself.
  return new ManagedProcess(name, process.execPath, ['--import', 'tsx', entry], env, REPO_ROOT);
}

/**
 * Starts real api, worker and model gateway processes (and optionally web) against the machine's
 * Postgres, Redis and Docker, under a Redis prefix of their own so parallel stacks never share jobs.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const apiPort = await freePort();
  const gatewayPort = await freePort();
  const redisPrefix = `gt-${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    API_PORT: String(apiPort),
    API_HOST: '127.0.0.1',
    GARRISON_HOST_ID: `test-${redisPrefix}`,
    GARRISON_INSTALLATION_ID: redisPrefix,
    QUEUE_LOCK_MS: '3000',
    QUEUE_STALLED_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    // One random key per stack: api seals credentials with it, the gateway opens them.
    GARRISON_SECRET_KEY: randomBytes(32).toString('base64'),
    // The gateway listens on it, and the worker tells workspaces where to find it.
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_HOST: '0.0.0.0',
    ...options.env,
  };
  const api = tsxProcess('api', 'apps/api/src/main.ts', env);
  const worker = tsxProcess('worker', 'apps/worker/src/main.ts', env);
  const gateway = tsxProcess('gateway', 'apps/gateway/src/main.ts', env);
  api.start();
  worker.start();
  gateway.start();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

  let web: ManagedProcess | null = null;
  let webUrl: string | null = null;
  if (options.web) {
    const webPort = await freePort();
    web = new ManagedProcess(
      'web',
      process.execPath,
      [resolve(REPO_ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(webPort), '-H', '127.0.0.1'],
      { ...env, API_URL: apiUrl, PORT: String(webPort) },
      resolve(REPO_ROOT, 'apps/web'),
    );
    web.start();
    webUrl = `http://127.0.0.1:${webPort}`;
  }

  const stack: RunningStack = {
    apiUrl,
    webUrl,
    gatewayUrl,
    gatewayPort,
    redisPrefix,
    api,
    worker,
    gateway,
    web,
    async stop() {
      await Promise.all([api.stop(), worker.stop(), gateway.stop(), web?.stop()]);
    },
  };
  try {
    await waitForHealthy(apiUrl);
    await waitFor(async () => (await fetch(`${gatewayUrl}/health`)).ok, { timeoutMs: 30_000, intervalMs: 100, what: 'the model gateway to answer /health' });
    if (webUrl) await waitFor(async () => (await fetch(`${webUrl}/login`)).ok, { timeoutMs: 60_000, what: 'web to serve /login' });
  } catch (error) {
    const logs = `--- api ---\n${api.logs()}\n--- worker ---\n${worker.logs()}\n--- gateway ---\n${gateway.logs()}\n--- web ---\n${web?.logs() ?? ''}`;
    await stack.stop();
    throw new Error(`${(error as Error).message}\n${logs.slice(-8000)}`);
  }
  return stack;
}

/** Healthy means the API answers and a worker has reported a working Docker engine. */
export async function waitForHealthy(apiUrl: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const response = await fetch(`${apiUrl}/api/v1/health`);
      return response.ok;
    },
    { timeoutMs, intervalMs: 100, what: `${apiUrl} to report healthy` },
  );
}
