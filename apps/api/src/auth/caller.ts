/** Who is making a request and for which team; every service call is scoped by it. */
export interface Caller {
  userId: string;
  email: string;
  teamId: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
  via: 'session' | 'token';
  /** The browser session behind the request (via session only): switching teams updates it. */
  sessionId?: string;
  /** What an API token may do (via token only): without `write` every non-GET request is refused. */
  scopes?: string[];
  /** The API token behind the request (via token only): revoking it drops its sockets. */
  tokenId?: string;
}

/** A read-only API token may look but not touch; sessions and full tokens may write (roles permitting). */
export function tokenMayWrite(caller: Caller): boolean {
  return caller.via !== 'token' || (caller.scopes?.includes('write') ?? false);
}

export const SESSION_COOKIE = 'garrison_session';

/** Reads one cookie without a dependency; values we set are base64url and need no decoding. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function readBearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
