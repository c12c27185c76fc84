import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { costOf, type ModelProvider } from '@garrison/core';
import { resolveCredential, SecretBoxError, type Db, type ResolvedCredential, type SecretBox } from '@garrison/db';
import { budgetRefusal, hasBudget } from './budget.ts';
import type { CallLedger } from './call-ledger.ts';
import { upstreamHeaders } from './forward-headers.ts';
import { presentedToken, type MissionTokens } from './mission-auth.ts';
import type { BudgetStopper } from './mission-control.ts';
import { sendGatewayError } from './provider-errors.ts';
import { inspectRequest, readRequestBody } from './request-body.ts';
import { isTurn, matchRoute, providerOfPath, upstreamUrl } from './routes.ts';
import { proxyToUpstream } from './upstream-proxy.ts';
import { createUsageMeter } from './usage-meter.ts';

export interface GatewayDeps {
  db: Db;
  secrets: SecretBox;
  tokens: MissionTokens;
  ledger: CallLedger;
  stopper: BudgetStopper;
  /** Used when the team's credential names no base URL of its own. */
  upstreams: Record<ModelProvider, string>;
  log: Logger;
}

const PROVIDER_NAMES: Record<ModelProvider, string> = { anthropic: 'Anthropic', openai: 'OpenAI' };

/**
 * One model call: route, token -> live mission, budget, the team's key, then the provider,
 * streamed through and metered. Every refusal is in the provider's error shape.
 */
export function createGatewayHandler(deps: GatewayDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = matchRoute(req.method, url.pathname);
    if (!route) {
      return sendGatewayError(res, providerOfPath(url.pathname), 'not_found', `The model gateway has no route ${req.method} ${url.pathname}.`);
    }
    const token = presentedToken(route.provider, req.headers);
    let check = await deps.tokens.check(token);
    // Only a budget needs the earlier calls' counters; a mission without limits never waits on them.
    if (check.ok && hasBudget(check.mission) && deps.ledger.hasPending(check.mission.id)) {
      await deps.ledger.settled(check.mission.id);
      check = await deps.tokens.check(token);
    }
    if (!check.ok || !token) return sendGatewayError(res, route.provider, 'unauthenticated', check.ok ? 'No API key was sent.' : check.message);
    const mission = check.mission;
    const log = deps.log.child({ missionId: mission.id, provider: route.provider, api: route.api });

    const refusal = budgetRefusal(mission);
    if (refusal) {
      await deps.stopper.stop(mission.id);
      return sendGatewayError(res, route.provider, 'budget_exceeded', refusal);
    }
    const name = PROVIDER_NAMES[route.provider];
    let credential: ResolvedCredential | null;
    try {
      // Read on every call (one indexed row): a replaced or deleted key takes effect at once.
      credential = await resolveCredential(deps.db, deps.secrets, mission.teamId, route.provider);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      log.error({ err: error }, 'team credential does not open with this gateway\'s GARRISON_SECRET_KEY');
      return sendGatewayError(res, route.provider, 'provider_not_configured', `The team's ${name} credential cannot be opened by the model gateway (its GARRISON_SECRET_KEY differs from the one that sealed it); an operator must fix the key, or an owner or admin enter the credential again.`);
    }
    if (!credential) {
      return sendGatewayError(res, route.provider, 'provider_not_configured', `The team has no ${name} credential; an owner or admin can add one in Garrison (PUT /api/v1/credentials/${route.provider}).`);
    }
    const raw = await readRequestBody(req);
    if (!raw) {
      res.once('finish', () => req.destroy());
      return sendGatewayError(res, route.provider, 'payload_too_large', 'The request body is larger than the model gateway accepts (32 MiB).');
    }
    const request = inspectRequest(route.api, raw);
    const target = upstreamUrl(credential.baseUrl ?? deps.upstreams[route.provider], route, url.search);

    const { result, meter } = await proxyToUpstream(
      {
        url: target,
        method: req.method ?? 'POST',
        headers: upstreamHeaders(req.headers, route.provider, credential.apiKey, request.body.length),
        body: request.body,
        meter: (contentType) => createUsageMeter(route.api, { streaming: /text\/event-stream/i.test(contentType), requestModel: request.model }),
      },
      res,
    );
    if (result.unreachable) {
      log.warn({ upstream: new URL(target).origin, reason: result.unreachable }, 'upstream unreachable');
      sendGatewayError(res, route.provider, 'upstream_unreachable', `The model gateway could not reach ${new URL(target).origin}: ${result.unreachable}`);
    }
    const usage = meter?.finish() ?? { model: request.model, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const durationMs = Math.round(performance.now() - started);
    // Failed answers are recorded too, but only a successful model turn counts towards maxTurns.
    const countsAsTurn = isTurn(route.api) && result.status >= 200 && result.status < 300;
    deps.ledger.record(token, mission, {
      provider: route.provider,
      api: route.api,
      model: usage.model,
      httpStatus: result.status,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheTokens: usage.cacheReadTokens,
      costUsd: isTurn(route.api) ? costOf(usage.model, usage) : 0,
      durationMs,
      countsAsTurn,
    });
    log.info({ status: result.status, complete: result.complete, model: usage.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, durationMs }, 'model call');
  };
}
