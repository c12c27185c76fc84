import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { clientHeaders } from './forward-headers.ts';
import type { UsageMeter } from './usage-meter.ts';

/** Keep-alive to each provider: a new TLS handshake per model call would add tens of ms. */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 512 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 512 }),
};

export interface ProxyResult {
  /** The provider's status, or 502 when it could not be reached. */
  status: number;
  /** False when the client left or the upstream broke off before the answer was complete. */
  complete: boolean;
  /** Set when no answer came at all: the client got the gateway's 502. */
  unreachable?: string;
}

export interface ProxyRequest {
  url: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** Created once the answer's content type is known. */
  meter(contentType: string): UsageMeter;
}

/**
 * Sends the request upstream and pipes the answer to the client chunk by chunk as it arrives,
 * headers flushed at once, through the meter. Backpressure is kept: a slow client pauses the
 * upstream read rather than growing a buffer. A client that leaves aborts the upstream request,
 * so an abandoned generation stops costing money.
 */
export function proxyToUpstream(request: ProxyRequest, res: ServerResponse): Promise<{ result: ProxyResult; meter: UsageMeter | null }> {
  return new Promise((resolve) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    let meter: UsageMeter | null = null;
    let settled = false;
    const settle = (result: ProxyResult): void => {
      if (settled) return;
      settled = true;
      resolve({ result, meter });
    };

    const upstream = (secure ? https : http).request(url, { method: request.method, headers: request.headers, agent: secure ? agents.https : agents.http }, (answer: IncomingMessage) => {
      const status = answer.statusCode ?? 502;
      meter = request.meter(String(answer.headers['content-type'] ?? ''));
      res.writeHead(status, clientHeaders(answer.headers));
      res.flushHeaders();
      answer.on('data', (chunk: Buffer) => {
        meter?.push(chunk);
        if (!res.write(chunk)) {
          answer.pause();
          res.once('drain', () => answer.resume());
        }
      });
      answer.once('end', () => {
        res.end();
        settle({ status, complete: true });
      });
      answer.once('error', () => {
        res.destroy();
        settle({ status, complete: false });
      });
      answer.once('close', () => {
        if (answer.complete) return;
        res.destroy();
        settle({ status, complete: false });
      });
    });
    upstream.once('error', (error) => {
      if (!res.headersSent) settle({ status: 502, complete: false, unreachable: error.message });
      else {
        res.destroy();
        settle({ status: res.statusCode, complete: false });
      }
    });
    res.once('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        settle({ status: res.statusCode, complete: false });
      }
    });
    upstream.end(request.body);
  });
}
