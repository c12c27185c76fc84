import { stopIdleWorkspaces } from './idle-reaper.ts';
import { reconcileWorkspaces } from './reconcile.service.ts';
import type { WorkspaceOpsDeps } from './workspace-ops.service.ts';

export interface ReconcileLoopOptions {
  installation: string;
  intervalMs: number;
  idleAfterMs: number;
  idleAction: 'stop' | 'pause';
}

/**
 * Runs the reconciler and the idle reaper now and then every `intervalMs`. It is a per-host
 * loop, not a shared repeatable job: each worker can only see its own Docker engine.
 */
export function startReconcileLoop(deps: WorkspaceOpsDeps, options: ReconcileLoopOptions): () => void {
  let running = false;
  const tick = (): void => {
    if (running) return;
    running = true;
    reconcileWorkspaces(deps, options.installation)
      .then(async (report) => {
        if (report.orphansRemoved + report.markedStopped + report.stoppedToMatch > 0) deps.log.info(report, 'reconciled workspaces');
        const idle = await stopIdleWorkspaces(deps, options.idleAfterMs, options.idleAction);
        if (idle > 0) deps.log.info({ idle, action: options.idleAction }, 'idle workspaces put to rest');
      })
      .catch((error: unknown) => deps.log.error({ err: error }, 'reconcile failed'))
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  return () => clearInterval(timer);
}
