'use client';

import { useEffect, useEffectEvent } from 'react';

/**
 * Runs `task` now and then every `intervalMs` after the previous run finished, skipping runs
 * while the tab is hidden. Never two at once, so a slow API cannot pile requests up.
 */
export function usePolling(task: () => Promise<void>, intervalMs: number): void {
  const run = useEffectEvent(task);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let running = false;
    const tick = async (): Promise<void> => {
      running = true;
      if (!document.hidden) await run().catch(() => {});
      running = false;
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    // Back in view: refresh now instead of at the next tick.
    const onVisible = (): void => {
      if (document.hidden || stopped || running) return;
      clearTimeout(timer);
      void tick();
    };
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs]);
}
