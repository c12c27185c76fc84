const CSRF_COOKIE = 'garrison_csrf';
const SESSION_COOKIE = 'garrison_session';

/** `name=value` of each Set-Cookie header, by name (an emptied cookie maps to null). */
function setCookies(response: Response): Map<string, string | null> {
  const cookies = new Map<string, string | null>();
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0] ?? '';
    const name = pair.slice(0, pair.indexOf('='));
    cookies.set(name, pair.slice(name.length + 1) ? pair : null);
  }
  return cookies;
}

/**
 * The CSRF pair for a session cookie (or none, for a sign-in): the cookie header to send and the
 * x-csrf-token to echo, as the dashboard does before every write.
 */
export async function csrfHeaders(baseUrl: string, sessionCookie: string | null): Promise<{ cookie: string; 'x-csrf-token': string }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/csrf`, { headers: sessionCookie ? { cookie: sessionCookie } : {} });
  if (!response.ok) throw new Error(`GET /auth/csrf failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  const csrfCookie = setCookies(response).get(CSRF_COOKIE);
  if (!csrfCookie) throw new Error('GET /auth/csrf set no CSRF cookie');
  return { cookie: [sessionCookie, csrfCookie].filter(Boolean).join('; '), 'x-csrf-token': token };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A small typed client for tests: signs in once and sends the session cookie afterwards, with the
 * CSRF token on writes (fetched on first need, fetched again once if the API says csrf_failed).
 */
export class ApiClient {
  private cookie: string | null = null;
  private csrf: { cookie: string; token: string } | null = null;

  constructor(readonly baseUrl: string, private bearer: string | null = null) {}

  get sessionCookie(): string | null {
    return this.cookie;
  }

  async login(email: string, password: string): Promise<void> {
    const pair = await csrfHeaders(this.baseUrl, this.cookie);
    const response = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...pair },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const cookies = setCookies(response);
    this.cookie = cookies.get(SESSION_COOKIE) ?? null;
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const csrfCookie = cookies.get(CSRF_COOKIE);
    this.csrf = csrfCookie ? { cookie: csrfCookie, token: csrfToken } : null;
  }

  private async refreshCsrf(): Promise<{ cookie: string; token: string }> {
    const pair = await csrfHeaders(this.baseUrl, this.cookie);
    this.csrf = { cookie: pair.cookie.split('; ').find((part) => part.startsWith(`${CSRF_COOKIE}=`))!, token: pair['x-csrf-token'] };
    return this.csrf;
  }

  async request<T = any>(method: string, path: string, body?: unknown, rawBody?: string): Promise<{ status: number; body: T }> {
    const send = async (csrf: { cookie: string; token: string } | null) => {
      const headers: Record<string, string> = {};
      if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
      const cookies = [this.cookie, csrf?.cookie].filter(Boolean);
      if (cookies.length > 0) headers.cookie = cookies.join('; ');
      if (csrf) headers['x-csrf-token'] = csrf.token;
      if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
      const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    };
    // Bearer requests carry no ambient authority and need no token; cookie writes do.
    const needsCsrf = this.cookie !== null && this.bearer === null && !SAFE_METHODS.has(method.toUpperCase());
    if (!needsCsrf) return send(null);
    const first = await send(this.csrf ?? (await this.refreshCsrf()));
    if (first.status !== 403 || (first.body as { code?: string } | null)?.code !== 'csrf_failed') return first;
    return send(await this.refreshCsrf());
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }

  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
