import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { FILE_BLOB_TTL_MS, fileBlobKey } from '@garrison/core';

/** Bytes in transit between the API and a worker: never in a job payload, gone after one read. */
export interface BlobStore {
  put(bytes: Buffer): Promise<string>;
  take(key: string): Promise<Buffer | null>;
}

export function redisBlobStore(redis: Redis, prefix: string): BlobStore {
  return {
    async put(bytes) {
      const key = fileBlobKey(prefix, randomUUID());
      await redis.set(key, bytes, 'PX', FILE_BLOB_TTL_MS);
      return key;
    },
    async take(key) {
      if (!key.startsWith(fileBlobKey(prefix, ''))) return null;
      return redis.getdelBuffer(key);
    },
  };
}
