import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationsDir } from './migrations-dir.ts';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.ts';

/**
 * `deploy`: apply pending migrations (what `prisma migrate deploy` does).
 * `create NAME`: write a new migration with the SQL that takes the last migrated schema to the
 * current one. The wasm engine can neither introspect a live database through the pg adapter nor
 * use a shadow database, so the schema as of the last migration is kept beside the migrations
 * and both sides of the diff are plain datamodels.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const schemaPath = join(repoRoot, 'prisma/schema.prisma');
const migrationsDir = join(repoRoot, 'prisma/migrations');
const snapshotPath = join(migrationsDir, 'schema-at-last-migration.prisma');
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/garrison';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const schema = readFileSync(schemaPath, 'utf8');
  const engine = await openSchemaEngine(databaseUrl, 'schema.prisma', schema);
  const started = Date.now();
  if (command === 'deploy') {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: readMigrationsDir(migrationsDir),
      filters: NO_FILTERS,
    });
    const applied = appliedMigrationNames.length ? appliedMigrationNames.join(', ') : 'none pending';
    console.log(`migrations applied: ${applied} (${Date.now() - started} ms)`);
    return;
  }
  if (command === 'create' && name && /^[a-z0-9_]+$/.test(name)) {
    const previous = existsSync(snapshotPath) ? readFileSync(snapshotPath, 'utf8') : null;
    const { stdout } = await engine.diff({
      from: previous ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    if (!stdout || /^-- This is an empty migration/m.test(stdout)) {
      console.log('schema and migrations agree: nothing to create');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'migration.sql'), stdout);
    writeFileSync(snapshotPath, schema);
    console.log(`created ${folder}/migration.sql; review it, then run npm run db:migrate`);
    return;
  }
  console.error('usage: migrate deploy | migrate create <snake_case_name>');
  process.exitCode = 2;
}

// The engine's pool keeps the event loop alive for a while after the work is done; a one-shot
// command (the compose migrate service gates startup on it) should end as soon as it is done.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
