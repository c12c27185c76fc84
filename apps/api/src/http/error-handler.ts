import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { DomainError, ErrorCode, isDomainError } from '@garrison/core';
import { redactPath } from './request-log.ts';

/** The one place where error codes become HTTP statuses. */
const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.ProviderNotConfigured]: 409,
  [ErrorCode.CredentialNotFound]: 404,
  [ErrorCode.ResumeUnsupported]: 409,
  [ErrorCode.NotResumable]: 409,
  [ErrorCode.ApprovalNotFound]: 404,
  [ErrorCode.ApprovalAlreadyResolved]: 409,
  [ErrorCode.NotWaitingForInput]: 409,
  [ErrorCode.AgentNeedsNetwork]: 409,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.WorkspaceNotFound]: 404,
  [ErrorCode.MissionNotFound]: 404,
  [ErrorCode.UnknownAgent]: 422,
  [ErrorCode.AgentUnavailable]: 422,
  [ErrorCode.MissionFinished]: 409,
  [ErrorCode.MissionNotFinished]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.InvalidWorkspaceState]: 409,
  [ErrorCode.WorkspaceBusy]: 409,
  [ErrorCode.ConfirmationMismatch]: 400,
  [ErrorCode.TemplateNotFound]: 404,
  [ErrorCode.NetworkPolicyUnavailable]: 422,
  [ErrorCode.PathOutsideWorkspace]: 400,
  [ErrorCode.FileNotFound]: 404,
  [ErrorCode.IsADirectory]: 400,
  [ErrorCode.NotADirectory]: 400,
  [ErrorCode.NotAFile]: 400,
  [ErrorCode.FileTooLarge]: 413,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.TeamNotFound]: 404,
  [ErrorCode.MemberNotFound]: 404,
  [ErrorCode.LastOwner]: 409,
  [ErrorCode.TeamBusy]: 409,
  [ErrorCode.AlreadyMember]: 409,
  [ErrorCode.EmailTaken]: 409,
  [ErrorCode.InviteNotFound]: 404,
  [ErrorCode.InviteExpired]: 410,
  [ErrorCode.InviteRevoked]: 410,
  [ErrorCode.InviteUsed]: 410,
  [ErrorCode.InviteEmailMismatch]: 403,
  [ErrorCode.TokenNotFound]: 404,
  [ErrorCode.TokenScope]: 403,
  [ErrorCode.TooManyAttempts]: 429,
  [ErrorCode.CsrfFailed]: 403,
  [ErrorCode.RepositoryNotFound]: 404,
  [ErrorCode.RepositoryExists]: 409,
  [ErrorCode.RepositoryNotReady]: 409,
  [ErrorCode.NotInReview]: 409,
  [ErrorCode.MergeConflict]: 409,
  [ErrorCode.GitFailed]: 502,
  [ErrorCode.Internal]: 500,
};

export function statusOfCode(code: ErrorCode): number {
  return STATUS_OF[code];
}

/** Body-parser failures arrive as plain errors with a `type`; give them stable codes too. */
function fromParserError(error: unknown): DomainError | null {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return new DomainError(ErrorCode.MalformedJson, 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new DomainError(ErrorCode.PayloadTooLarge, 'The request body is too large.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new DomainError(ErrorCode.InvalidInput, 'The request body must be UTF-8 JSON.');
  }
  return null;
}

export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const domain = isDomainError(error) ? error : fromParserError(error);
    if (domain) {
      const retryAfter = (domain.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(STATUS_OF[domain.code]).json({ code: domain.code, message: domain.message, details: domain.details });
      return;
    }
    log.error({ err: error, requestId: req.requestId, method: req.method, path: redactPath(req.path) }, 'unhandled error');
    res.status(500).json({ code: ErrorCode.Internal, message: 'Something went wrong on our side; it has been logged.' });
  };
}

export function notFoundHandler(): import('express').RequestHandler {
  return (req, _res, next) => next(new DomainError(ErrorCode.NotFound, `No route ${req.method} ${req.path}.`));
}
