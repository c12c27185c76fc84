/**
 * One error vocabulary for the whole system. A DomainError carries a stable `code` that
 * clients can switch on; the API maps codes to HTTP statuses in exactly one table.
 */
export const ErrorCode = {
  InvalidInput: 'invalid_input',
  MalformedJson: 'malformed_json',
  Unauthenticated: 'unauthenticated',
  InvalidCredentials: 'invalid_credentials',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  WorkspaceNotFound: 'workspace_not_found',
  MissionNotFound: 'mission_not_found',
  UnknownAgent: 'unknown_agent',
  AgentUnavailable: 'agent_unavailable',
  MissionFinished: 'mission_finished',
  MissionNotFinished: 'mission_not_finished',
  Conflict: 'conflict',
  InvalidWorkspaceState: 'invalid_workspace_state',
  WorkspaceBusy: 'workspace_busy',
  ConfirmationMismatch: 'confirmation_mismatch',
  TemplateNotFound: 'template_not_found',
  NetworkPolicyUnavailable: 'network_policy_unavailable',
  PathOutsideWorkspace: 'path_outside_workspace',
  FileNotFound: 'file_not_found',
  IsADirectory: 'is_a_directory',
  NotADirectory: 'not_a_directory',
  NotAFile: 'not_a_file',
  FileTooLarge: 'file_too_large',
  PayloadTooLarge: 'payload_too_large',
  ServiceUnavailable: 'service_unavailable',
  ProviderNotConfigured: 'provider_not_configured',
  CredentialNotFound: 'credential_not_found',
  ResumeUnsupported: 'resume_unsupported',
  NotResumable: 'not_resumable',
  ApprovalNotFound: 'approval_not_found',
  ApprovalAlreadyResolved: 'approval_already_resolved',
  NotWaitingForInput: 'not_waiting_for_input',
  AgentNeedsNetwork: 'agent_needs_network',
  TeamNotFound: 'team_not_found',
  MemberNotFound: 'member_not_found',
  LastOwner: 'last_owner',
  TeamBusy: 'team_busy',
  AlreadyMember: 'already_member',
  EmailTaken: 'email_taken',
  InviteNotFound: 'invite_not_found',
  InviteExpired: 'invite_expired',
  InviteRevoked: 'invite_revoked',
  InviteUsed: 'invite_used',
  InviteEmailMismatch: 'invite_email_mismatch',
  TokenNotFound: 'token_not_found',
  TokenScope: 'token_scope',
  TooManyAttempts: 'too_many_attempts',
  CsrfFailed: 'csrf_failed',
  RepositoryNotFound: 'repository_not_found',
  RepositoryExists: 'repository_exists',
  RepositoryNotReady: 'repository_not_ready',
  NotInReview: 'not_in_review',
  MergeConflict: 'merge_conflict',
  GitFailed: 'git_failed',
  Internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
