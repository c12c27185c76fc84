import { resolve } from 'node:path';
import type { NextConfig } from 'next';

// These machines reach no telemetry endpoint; the npm scripts set it too, this covers `next`
// started directly (the testkit does).
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

/**
 * The dashboard talks to the API only through its own origin: `/api/*` and `/socket.io/*` are
 * forwarded to API_URL (default http://127.0.0.1:3001), so one port serves everything and the
 * session cookie stays first-party.
 *
 * That forwarding lives in `src/proxy.ts`, not in `rewrites()` here: Next compiles `rewrites()`
 * into `.next/routes-manifest.json` at build time, so an API_URL given to `next start` (the
 * testkit and compose both do that) would be silently ignored and requests would go to whatever
 * listens on the build machine's default. The proxy reads API_URL on every request instead.
 * Both kinds of external rewrite carry WebSocket upgrades in `next start` (checked with 16.4):
 * Socket.IO starts on long-polling and upgrades to a WebSocket through them.
 */
const nextConfig: NextConfig = {
  // The web image (docker/app.Dockerfile, target `web`) ships Next's standalone server: only the
  // files the server traces from the whole monorepo, not every node_modules package. `next start`
  // (development, the browser tests) does not use it, so it is on only for that build.
  ...(process.env.GARRISON_NEXT_STANDALONE === '1' ? { output: 'standalone' as const, outputFileTracingRoot: resolve(process.cwd(), '../..') } : {}),
  transpilePackages: ['@garrison/core'],
  // Socket.IO requests `/socket.io/?EIO=4...`. The default trailing-slash redirect would send the
  // browser to `/socket.io?EIO=4...`, a path the API's engine does not serve.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
