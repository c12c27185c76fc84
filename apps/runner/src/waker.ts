import { watch, type FSWatcher } from 'node:fs';

/** Lets a follower sleep until the log grows: woken in-process, by inotify, or by a timeout. */
export interface Waker {
  next(timeoutMs: number): Promise<void>;
  wake(): void;
  watchFile(path: string): void;
  close(): void;
}

export function createWaker(): Waker {
  let resolveWait: (() => void) | null = null;
  let woken = false;
  let watcher: FSWatcher | null = null;
  const wake = (): void => {
    if (resolveWait) resolveWait();
    else woken = true;
  };
  return {
    wake,
    next(timeoutMs) {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          resolveWait = null;
          resolve();
        }, timeoutMs);
        resolveWait = () => {
          clearTimeout(timer);
          resolveWait = null;
          resolve();
        };
      });
    },
    watchFile(path) {
      if (watcher) return;
      try {
        watcher = watch(path, wake);
      } catch {
        // No inotify here: the timeout alone paces the follower.
      }
    },
    close() {
      watcher?.close();
      watcher = null;
    },
  };
}
