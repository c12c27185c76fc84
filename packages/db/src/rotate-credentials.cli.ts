import { createDb } from './client.ts';
import { rotateCredentials } from './repositories/credentials.repo.ts';
import { rotateRepositoryCredentials } from './repositories/repository-rotation.repo.ts';
import { createSecretBox } from './secret-box.ts';

/**
 * `npm run credentials:rotate`: reseals every provider credential and repository credential
 * (HTTPS token, deploy key) with GARRISON_SECRET_KEY. Run it
 * with the new key in GARRISON_SECRET_KEY and the old one in GARRISON_SECRET_KEY_PREVIOUS (the
 * same values api and gateway run with); afterwards the previous key can be dropped everywhere.
 * Safe to run again: rows already sealed with the current key are left alone.
 */
const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/garrison';

async function main(): Promise<void> {
  const box = createSecretBox({ key: process.env.GARRISON_SECRET_KEY, previousKey: process.env.GARRISON_SECRET_KEY_PREVIOUS || undefined });
  const db = createDb(databaseUrl, { poolSize: 2 });
  try {
    const providers = await rotateCredentials(db, box);
    console.log(`provider credentials resealed with the current key: ${providers.resealed}; sealed with it now: ${providers.current}`);
    const repositories = await rotateRepositoryCredentials(db, box);
    console.log(`repository credentials resealed with the current key: ${repositories.resealed}; sealed with it now: ${repositories.current}`);
    const unreadable = providers.unreadable + repositories.unreadable;
    if (unreadable > 0) {
      console.error(`${unreadable} credential(s) open with neither GARRISON_SECRET_KEY nor GARRISON_SECRET_KEY_PREVIOUS; their teams must enter them again (provider keys in Settings, repositories by adding them again).`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`credentials:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
