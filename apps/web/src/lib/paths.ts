/**
 * Where to go after signing in. Only paths on this site are accepted, so a crafted
 * `/login?next=https://evil.example` link cannot send someone elsewhere.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?')) return '/';
  return raw;
}

/** The sign-in page, coming back to `next` afterwards; `expired` says why they are there. */
export function loginPath(next: string, reason?: 'expired'): string {
  const params = new URLSearchParams();
  const target = safeNextPath(next);
  if (target !== '/') params.set('next', target);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

export function missionPath(missionId: string): string {
  return `/missions/${encodeURIComponent(missionId)}`;
}

export function workspacePath(workspaceId: string): string {
  return `/workspaces/${encodeURIComponent(workspaceId)}`;
}

/** A repository mission's diff, comments and outcome buttons. */
export function reviewPath(missionId: string): string {
  return `${missionPath(missionId)}/review`;
}
