import type { Db } from '../client.ts';
import type { SecretBox } from '../secret-box.ts';
import { resealRows } from '../reseal.ts';
import { repositoryContextOf } from './repositories.repo.ts';

/**
 * Reseals every repository credential (HTTPS token, deploy key) not sealed with the current key,
 * as `rotateCredentials` does for provider keys. A row changed meanwhile is skipped (the update is
 * conditional on the version read) and picked up by the next run.
 */
export async function rotateRepositoryCredentials(db: Db, box: SecretBox): Promise<{ resealed: number; current: number; unreadable: number }> {
  const rows = await db.prisma.repository.findMany({ where: { ciphertext: { not: null }, keyVersion: { not: box.keyVersion } } });
  const { resealed, unreadable } = await resealRows(
    box,
    rows,
    (row) => ({ ciphertext: row.ciphertext!, iv: row.iv!, authTag: row.authTag!, keyVersion: row.keyVersion! }),
    repositoryContextOf,
    async (row, sealed) =>
      (
        await db.prisma.repository.updateMany({
          where: { id: row.id, keyVersion: row.keyVersion, updatedAt: row.updatedAt },
          data: { ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.authTag, keyVersion: sealed.keyVersion },
        })
      ).count,
  );
  const current = await db.prisma.repository.count({ where: { ciphertext: { not: null }, keyVersion: box.keyVersion } });
  return { resealed, current, unreadable };
}
