import { reconcileWorkspaces } from './reconcile.service.ts';
import type { WorkspaceOpsDeps } from './workspace-ops.service.ts';

/**
 * Runs the reconciler now and then every `intervalMs`. It is a per-host loop, not a shared
 * repeatable job: each worker can only see the containers of its own Docker engine.
 */
export function startReconcileLoop(deps: WorkspaceOpsDeps, installation: string, intervalMs: number): () => void {
  let running = false;
  const tick = (): void => {
    if (running) return;
    running = true;
    reconcileWorkspaces(deps, installation)
      .then((report) => {
        if (report.orphansRemoved + report.markedStopped + report.stoppedToMatch > 0) deps.log.info(report, 'reconciled workspaces');
      })
      .catch((error: unknown) => deps.log.error({ err: error }, 'reconcile failed'))
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
