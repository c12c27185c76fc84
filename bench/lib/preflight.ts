import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createDb } from '@garrison/db';
import { REPO_ROOT } from '@garrison/testkit';
import { docker } from './docker.ts';

const SETUP = 'Run `scripts/test` once (it starts the services, applies migrations and builds the workspace image), or the step named above.';

/**
 * The bench starts api and worker itself but assumes the machine is set up as after
 * `scripts/test`; it says what is missing instead of failing somewhere in the middle.
 */
export async function preflight(databaseUrl: string, redisUrl: string, image: string): Promise<void> {
  const problems: string[] = [];
  const db = createDb(databaseUrl, { poolSize: 1 });
  try {
    const applied = new Set(
      (await db.pool.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )).rows.map((row) => row.migration_name),
    );
    const wanted = readdirSync(resolve(REPO_ROOT, 'prisma/migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const missing = wanted.filter((name) => !applied.has(name));
    if (missing.length > 0) problems.push(`PostgreSQL at ${mask(databaseUrl)} lacks migrations ${missing.join(', ')}: run \`DATABASE_URL=${mask(databaseUrl)} npm run db:migrate\`.`);
  } catch (error) {
    problems.push(`PostgreSQL at ${mask(databaseUrl)} is not usable (${(error as Error).message}): run \`bash scripts/ensure-services.sh\`, then \`DATABASE_URL=${mask(databaseUrl)} npm run db:migrate\`.`);
  } finally {
    await db.close();
  }

  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let redisError: Error | null = null;
  redis.on('error', (error: Error) => (redisError ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis at ${mask(redisUrl)} does not answer (${(redisError ?? (error as Error)).message}): run \`bash scripts/ensure-services.sh\`.`);
  } finally {
    redis.disconnect();
  }

  try {
    await docker.ping();
    try {
      await docker.getImage(image).inspect();
    } catch {
      problems.push(`The workspace image ${image} does not exist: run \`npm run build:images\`.`);
    }
  } catch (error) {
    problems.push(`The Docker engine does not answer (${(error as Error).message}): run \`bash scripts/ensure-services.sh\`.`);
  }

  if (problems.length > 0) throw new Error(`bench: this machine is not ready.\n  - ${problems.join('\n  - ')}\n${SETUP}`);
}

function mask(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}
