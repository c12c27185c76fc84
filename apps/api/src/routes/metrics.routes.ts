import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { DomainError, ErrorCode } from '@garrison/core';
import { readBearer } from '../auth/caller.ts';
import { renderMetrics, type MetricsDeps } from '../metrics/metrics.service.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics` for Prometheus. Outside /api/v1, so Caddy (which forwards only /api/* and
 * /socket.io/* to the api) never serves it: it is reachable on the api's internal port only.
 * With METRICS_TOKEN set, a scraper must also send it as a bearer token.
 */
export function metricsRoutes(deps: MetricsDeps & { metricsToken?: string | undefined }): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (deps.metricsToken && !sameSecret(readBearer(req.headers.authorization) ?? '', deps.metricsToken)) {
      next(new DomainError(ErrorCode.Unauthenticated, 'Send METRICS_TOKEN as "Authorization: Bearer <token>" to read /metrics.'));
      return;
    }
    try {
      const body = await renderMetrics(deps);
      res.type('text/plain; version=0.0.4; charset=utf-8').send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
