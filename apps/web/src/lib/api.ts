/** An error answer of the API (`{code, message, details?}`), or a request that never got one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated';
}

/** The message to show a person: the API's own message when there is one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong; try again.';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

let csrfToken: Promise<string> | null = null;

/**
 * The API refuses writes made with the session cookie unless they echo its CSRF token
 * (x-csrf-token). One token per tab, fetched on the first write; `refresh` after the API said
 * csrf_failed (a new session after sign-in or an invite makes the old one worthless).
 */
export async function csrfHeader(refresh = false): Promise<Record<string, string>> {
  if (!csrfToken || refresh) {
    const pending = fetch('/api/v1/auth/csrf', { credentials: 'same-origin', cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<{ token: string }>) : Promise.reject(new Error(String(response.status)))))
      .then((body) => body.token);
    csrfToken = pending;
    pending.catch(() => {
      if (csrfToken === pending) csrfToken = null;
    });
  }
  try {
    return { 'x-csrf-token': await csrfToken };
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach Garrison. Check your connection and try again.');
  }
}

/** Whether an answer is the API refusing a missing or stale CSRF token (worth one retry with a fresh one). */
export function isCsrfFailure(status: number, body: unknown): boolean {
  return status === 403 && (body as { code?: unknown } | null)?.code === 'csrf_failed';
}

/** Calls /api/v1 on this origin (proxied to the API) with the session cookie, and the CSRF token on writes. */
export async function callApi<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const send = async (refreshCsrf: boolean): Promise<Response> => {
    const headers: Record<string, string> = method === 'GET' ? {} : await csrfHeader(refreshCsrf);
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, 'network_error', 'Could not reach Garrison. Check your connection and try again.');
    }
  };
  let response = await send(false);
  if (response.status === 403 && method !== 'GET') {
    const refused = (await response.clone().json().catch(() => null)) as unknown;
    if (isCsrfFailure(response.status, refused)) response = await send(true);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy error page instead of JSON: reported below by status.
  }
  if (!response.ok && body === null && response.status >= 500) {
    // Not the API's JSON: the dashboard's own server could not reach the API behind it.
    throw new ApiError(response.status, 'api_unreachable', 'The dashboard cannot reach the Garrison API right now. It may be restarting; try again in a moment.');
  }
  if (!response.ok) {
    const error = (body ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
    throw new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : 'http_error',
      typeof error.message === 'string' ? error.message : `Garrison answered ${response.status}; try again shortly.`,
      error.details,
    );
  }
  // Sign-in hands out the token of the new session; sign-out ends the old one.
  if (path === '/auth/login' && typeof (body as { csrfToken?: unknown } | null)?.csrfToken === 'string') {
    csrfToken = Promise.resolve((body as { csrfToken: string }).csrfToken);
  }
  if (path === '/auth/logout') csrfToken = null;
  return body as T;
}
