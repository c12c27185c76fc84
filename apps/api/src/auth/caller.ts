/** Who is making a request and for which team; every service call is scoped by it. */
export interface Caller {
  userId: string;
  email: string;
  teamId: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
  via: 'session' | 'token';
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
