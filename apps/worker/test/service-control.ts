import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { waitFor } from '@garrison/testkit';

/**
 * Stops and starts the machine's own PostgreSQL, Redis and Docker engine for fault tests, the way
 * scripts/ensure-services.sh starts them (no systemd here). Every start is a no-op when the
 * service already answers, so a test's `finally` can always call it: a service is never left down.
 */
const run = promisify(execFile);
const PG_PORT = '5432';
const REDIS_PORT = '6379';
/** What `redis-server` was started with; read from the live server so a restart matches it. */
const REDIS_SETTINGS = ['port', 'bind', 'dir', 'save', 'appendonly', 'logfile'] as const;

async function succeeds(command: string, args: string[]): Promise<boolean> {
  return run(command, args, { timeout: 5000 }).then(
    () => true,
    () => false,
  );
}

/** The Debian cluster that owns port 5432, as `<version> <name>`. */
async function postgresCluster(): Promise<[string, string]> {
  const { stdout } = await run('pg_lsclusters', ['-h']);
  const line = stdout.split('\n').find((row) => row.split(/\s+/)[2] === PG_PORT);
  if (!line) throw new Error(`no PostgreSQL cluster on port ${PG_PORT}`);
  const [version, name] = line.split(/\s+/);
  return [version!, name!];
}

export const postgresUp = (): Promise<boolean> => succeeds('pg_isready', ['-q', '-h', '127.0.0.1', '-p', PG_PORT]);

export async function stopPostgres(): Promise<void> {
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...(await postgresCluster()), 'stop']);
}

export async function startPostgres(): Promise<void> {
  if (await postgresUp()) return;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...(await postgresCluster()), 'start']);
  await waitFor(postgresUp, { timeoutMs: 60_000, intervalMs: 100, what: 'PostgreSQL to accept connections' });
}

export const redisUp = (): Promise<boolean> => succeeds('redis-cli', ['-p', REDIS_PORT, 'ping']);

/** The command line that starts this Redis again as it runs now (nothing is persisted: see `save`). */
export async function redisStartArgs(): Promise<string[]> {
  const args = ['--daemonize', 'yes'];
  for (const setting of REDIS_SETTINGS) {
    const { stdout } = await run('redis-cli', ['-p', REDIS_PORT, 'CONFIG', 'GET', setting]);
    const value = stdout.split('\n')[1] ?? '';
    // `bind` holds several addresses; `-::1` means "IPv6 loopback if there is one".
    args.push(`--${setting}`, ...(setting === 'bind' ? value.split(' ').filter(Boolean) : [value]));
  }
  return args;
}

export async function stopRedis(): Promise<void> {
  // A refused connection after the shutdown is the expected answer, not a failure.
  await run('redis-cli', ['-p', REDIS_PORT, 'shutdown', 'nosave']).catch(() => {});
  await waitFor(async () => !(await redisUp()), { timeoutMs: 15_000, intervalMs: 50, what: 'Redis to stop' });
}

export async function startRedis(args: string[]): Promise<void> {
  if (await redisUp()) return;
  await run('redis-server', args);
  await waitFor(redisUp, { timeoutMs: 30_000, intervalMs: 50, what: 'Redis to answer PING' });
}

export const dockerUp = (): Promise<boolean> => succeeds('docker', ['info']);

async function dockerdPid(): Promise<number | null> {
  const { stdout } = await run('pidof', ['dockerd']).catch(() => ({ stdout: '' }));
  const pid = Number.parseInt(stdout.trim().split(/\s+/)[0] ?? '', 10);
  return Number.isInteger(pid) ? pid : null;
}

/** SIGTERM, as an init system would: the engine stops its containers (no live-restore here). */
export async function stopDockerd(): Promise<void> {
  const pid = await dockerdPid();
  if (pid === null) return;
  process.kill(pid, 'SIGTERM');
  await waitFor(async () => (await dockerdPid()) === null, { timeoutMs: 60_000, intervalMs: 100, what: 'dockerd to exit' });
}

/** Starts dockerd in its own session with its log appended, as scripts/ensure-services.sh does. */
export async function startDockerd(): Promise<void> {
  if (await dockerUp()) return;
  if ((await dockerdPid()) === null) {
    const log = openSync('/var/log/dockerd.log', 'a');
    const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    closeSync(log);
  }
  await waitFor(dockerUp, { timeoutMs: 60_000, intervalMs: 200, what: 'dockerd to answer docker info' });
}

/** A restarted engine was once seen to delete docker0; containers on the default bridge need it. */
export async function ensureDocker0(): Promise<boolean> {
  if (await succeeds('ip', ['link', 'show', 'docker0'])) return false;
  await run('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
  await run('ip', ['addr', 'add', '172.17.0.1/16', 'dev', 'docker0']);
  await run('ip', ['link', 'set', 'docker0', 'up']);
  return true;
}
