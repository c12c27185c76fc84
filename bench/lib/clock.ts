/**
 * Wall-clock milliseconds with sub-millisecond resolution. Event `ts` values come from the API,
 * worker and runner processes on this same host (the container shares the host's clock), so
 * differences against them are meaningful; `performance.now()` alone would not be comparable.
 */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function tsMs(iso: string): number {
  return Date.parse(iso);
}

/** Bounds a wait: the timeout only turns a hang into a clear failure, it never paces the bench. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
