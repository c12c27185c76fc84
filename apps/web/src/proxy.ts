import { NextResponse, type NextRequest } from 'next/server';

const DEFAULT_API_URL = 'http://127.0.0.1:3001';

/**
 * Forwards the API's routes to API_URL, read at request time (see next.config.ts for why this is
 * not a `rewrites()` entry). Next proxies external rewrites itself, WebSocket upgrades included,
 * and passes cookies and Set-Cookie through untouched.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  return NextResponse.rewrite(new URL(`${pathname}${search}`, process.env.API_URL ?? DEFAULT_API_URL));
}

export const config = {
  matcher: ['/api/:path*', '/socket.io/', '/socket.io/:path*'],
};
