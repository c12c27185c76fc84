import type { IncomingMessage } from 'node:http';

/** Far above any real prompt (Claude Code's largest requests are a few MB with images). */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** The request body as bytes, or null when it is larger than MAX_REQUEST_BYTES. */
export function readRequestBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export interface RequestFacts {
  model: string | null;
  /** The body to send: the client's bytes, except a streamed chat request gets usage switched on. */
  body: Buffer;
}

/**
 * Reads what the gateway needs from the JSON body without changing it. The one exception: a
 * streamed Chat Completions request only reports usage when asked (`stream_options.include_usage`),
 * so the gateway asks; the extra usage-only chunk at the end is ignored by clients.
 */
export function inspectRequest(api: string, raw: Buffer): RequestFacts {
  if (raw.length === 0) return { model: null, body: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { model: null, body: raw };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { model: null, body: raw };
  const fields = parsed as Record<string, unknown>;
  const model = typeof fields.model === 'string' ? fields.model : null;
  const options = fields.stream_options && typeof fields.stream_options === 'object' ? (fields.stream_options as Record<string, unknown>) : {};
  if (api === 'chat' && fields.stream === true && options.include_usage !== true) {
    return { model, body: Buffer.from(JSON.stringify({ ...fields, stream_options: { ...options, include_usage: true } }), 'utf8') };
  }
  return { model, body: raw };
}
