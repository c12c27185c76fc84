import type { SealedSecret, SecretBox, StoredSecret } from './secret-box.ts';

export interface ResealCount {
  resealed: number;
  unreadable: number;
}

/**
 * The rotation loop every sealed table shares: open each row with whichever key it opens with,
 * seal it again with the current one, and write it back through `write`, which must update only
 * if the row is unchanged since it was read (and answer how many it updated), so a concurrent
 * change is never overwritten. A row neither key opens is counted, not touched.
 */
export async function resealRows<Row>(
  box: SecretBox,
  rows: readonly Row[],
  stored: (row: Row) => StoredSecret,
  contextOf: (row: Row) => string,
  write: (row: Row, sealed: SealedSecret) => Promise<number>,
): Promise<ResealCount> {
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    const context = contextOf(row);
    let secret: string;
    try {
      secret = box.open(stored(row), context);
    } catch {
      unreadable += 1;
      continue;
    }
    resealed += await write(row, box.seal(secret, context));
  }
  return { resealed, unreadable };
}
