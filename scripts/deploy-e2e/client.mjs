// The deploy test's client: talks to Garrison only through Caddy (HTTPS, the certificate checked
// against Caddy's root via NODE_EXTRA_CA_CERTS), as a person or a script on the internet would.
//
//   node client.mjs BASE_URL login EMAIL PASSWORD        -> prints an API token (read+write)
//   node client.mjs BASE_URL start TOKEN PROMPT          -> prints {"workspaceId","missionId"}
//   node client.mjs BASE_URL wait TOKEN MISSION STATUS.. -> waits until the mission's status is one of STATUS
//   node client.mjs BASE_URL events TOKEN MISSION        -> prints a summary of its events (REST)
//   node client.mjs BASE_URL socket TOKEN MISSION        -> the same summary, read through Socket.IO
// Exits non-zero with a message on anything unexpected. Bounds are failure bounds only.
import { createHash } from 'node:crypto';
import { io } from 'socket.io-client';

const [base, command, ...args] = process.argv.slice(2);
const TERMINAL = ['completed', 'failed', 'canceled', 'blocked', 'interrupted'];

function fail(message) {
  console.error(`[client] ${message}`);
  process.exit(1);
}

/** Cookie jar for the sign-in: the session cookie and the CSRF cookie (issue 7) travel together. */
const jar = new Map();
async function call(method, path, { body, token, csrf } = {}) {
  const headers = { origin: base };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { raw: text.slice(0, 200) };
  }
  return { status: response.status, body: json };
}

async function expectOk(method, path, options) {
  const res = await call(method, path, options);
  if (res.status >= 300) fail(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function allEvents(token, missionId) {
  const events = [];
  let after = 0;
  for (;;) {
    const page = await expectOk('GET', `/api/v1/missions/${missionId}/events?afterSeq=${after}&limit=5000`, { token });
    events.push(...page.events);
    if (page.events.length === 0 || page.nextAfterSeq >= page.headSeq) return { events, headSeq: page.headSeq };
    after = page.nextAfterSeq;
  }
}

/** What "nothing was lost" is compared on: seqs 1..n without gaps or repeats, and their content. */
function summarize(events) {
  const seqs = events.map((event) => event.seq);
  const digest = createHash('sha256');
  for (const event of events) digest.update(`${event.seq}\u0000${event.type}\u0000${JSON.stringify(event.payload)}\n`);
  const lines = events.filter((event) => event.type === 'process.output' && event.payload.stream === 'stdout').map((event) => event.payload.text.trim());
  return {
    count: events.length,
    contiguous: seqs.every((seq, i) => seq === i + 1),
    lastSeq: seqs.at(-1) ?? 0,
    stdoutLines: lines.filter((line) => /^line-\d+$/.test(line)).length,
    distinctStdoutLines: new Set(lines.filter((line) => /^line-\d+$/.test(line))).size,
    sha256: digest.digest('hex'),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

switch (command) {
  case 'login': {
    const [email, password] = args;
    // Issue 7 adds CSRF tokens for cookie-authenticated writes; older APIs answer 404 here.
    const pre = await call('GET', '/api/v1/auth/csrf');
    const signedIn = await expectOk('POST', '/api/v1/auth/login', { body: { email, password }, csrf: pre.status === 200 ? pre.body.token : undefined });
    let csrf = signedIn.csrfToken;
    if (!csrf) {
      const after = await call('GET', '/api/v1/auth/csrf');
      csrf = after.status === 200 ? after.body.token : undefined;
    }
    const created = await expectOk('POST', '/api/v1/tokens', { body: { name: `deploy-e2e-${Date.now()}`, scopes: ['read', 'write'] }, csrf });
    console.log(created.token);
    break;
  }
  case 'start': {
    const [token, prompt] = args;
    const workspace = await expectOk('POST', '/api/v1/workspaces', { token, body: { name: `deploy-${Date.now()}` } });
    const mission = await expectOk('POST', '/api/v1/missions', { token, body: { workspaceId: workspace.id, agent: 'shell', prompt } });
    console.log(JSON.stringify({ workspaceId: workspace.id, missionId: mission.id }));
    break;
  }
  case 'wait': {
    const [token, missionId, ...statuses] = args;
    const deadline = Date.now() + 240_000;
    let last = null;
    while (Date.now() < deadline) {
      const res = await call('GET', `/api/v1/missions/${missionId}`, { token });
      // The api may be restarting under us: a refused or 502 answer is retried.
      if (res.status === 200) {
        last = res.body.status;
        if (statuses.includes(last)) {
          console.log(last);
          process.exit(0);
        }
        if (TERMINAL.includes(last)) fail(`mission ended ${last} (${res.body.statusReason ?? 'no reason'}), wanted ${statuses.join('|')}`);
      }
      await sleep(250);
    }
    fail(`mission still ${last} after 240 s, wanted ${statuses.join('|')}`);
    break;
  }
  case 'events': {
    const [token, missionId] = args;
    console.log(JSON.stringify(summarize((await allEvents(token, missionId)).events)));
    break;
  }
  case 'socket': {
    const [token, missionId] = args;
    const { headSeq } = await allEvents(token, missionId);
    const socket = io(base, { path: '/socket.io', transports: ['websocket'], auth: { token } });
    const received = new Map();
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket delivered ${received.size} of ${headSeq} events within 30 s`)), 30_000);
      socket.on('connect_error', (error) => reject(new Error(`socket through Caddy failed: ${error.message}`)));
      socket.on('mission:event', (event) => {
        if (event.missionId !== missionId) return;
        received.set(event.seq, event);
        if (received.size >= headSeq) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.on('connect', async () => {
        const ack = await socket.emitWithAck('mission:subscribe', { missionId, afterSeq: 0 });
        if (!ack?.ok) reject(new Error(`subscribe refused: ${JSON.stringify(ack)}`));
      });
    });
    try {
      await done;
    } catch (error) {
      socket.close();
      fail(error.message);
    }
    const transport = socket.io.engine.transport.name;
    socket.close();
    console.log(JSON.stringify({ ...summarize([...received.values()].sort((a, b) => a.seq - b.seq)), transport }));
    break;
  }
  default:
    fail(`unknown command ${command}`);
}
