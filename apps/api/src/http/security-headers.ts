import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The API only ever answers JSON (and file downloads as attachments): nothing it serves should
 * load, run or be framed, so the policy forbids everything.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // HSTS is Caddy's job at the TLS edge (it knows whether the name has a public certificate).
    strictTransportSecurity: false,
  });
}

/**
 * CORS for exactly one configured origin (WEB_ORIGIN, a dashboard served from elsewhere), with
 * credentials. Any other origin gets no CORS headers, so browsers refuse it the response; the
 * dashboard itself calls same-origin through its proxy and needs none.
 */
export function corsForOrigin(allowedOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!allowedOrigin || origin !== allowedOrigin) {
      next();
      return;
    }
    res.vary('Origin');
    res.setHeader('Access-Control-Allow-Origin', allowedOrigin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'x-request-id, retry-after');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, x-csrf-token, x-request-id');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
