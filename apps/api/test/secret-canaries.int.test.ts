import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueuedMission, insertEventBatch } from '@garrison/db';
import { ApiClient, TEST_DATABASE_URL, TEST_REDIS_URL, deleteTeam, seedTeam, waitFor, type TestTeam } from '@garrison/testkit';
import { parseApiEnv } from '../src/env.ts';
import { startApiServer, type RunningApi } from '../src/server.ts';
import { deleteUsers } from './team-helpers.ts';

/**
 * Planted secrets never come to rest anywhere but as hashes or sealed bytes: a user's password,
 * a provider key, an API token, a session token and an invite token are driven through sign-in,
 * credential set, token use, invite accept and socket connections; then every text, JSON and
 * byte column of every table in Postgres, every Redis key of this API's prefix (strings, hashes,
 * lists, sets, sorted sets, streams), every line the API logged (at trace level) and every
 * socket frame the clients received are searched for each. Each search first finds a canary
 * stored on purpose, so a search that cannot find anything cannot pass.
 */
const logLines: string[] = [];
let api: RunningApi;
let log: pino.Logger;
let redis: Redis;
let redisPrefix: string;
let owner: ApiClient;
let team: TestTeam;
const frames: string[] = [];
const sockets: Socket[] = [];
const extraUsers: string[] = [];

beforeAll(async () => {
  redisPrefix = `gt-${randomBytes(4).toString('hex')}`;
  const env = parseApiEnv({
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    API_PORT: '0',
    GARRISON_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  log = pino({ level: 'trace' }, sink);
  api = await startApiServer(env, log);
  redis = new Redis(TEST_REDIS_URL);
  team = await seedTeam(api.db);
  owner = new ApiClient(api.url);
  await owner.login(team.email, team.password);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  if (api) {
    await deleteTeam(api.db, team);
    await deleteUsers(api.db, extraUsers);
    await api.close();
    await new Promise((resolve) => api.httpServer.close(resolve));
  }
  if (redis) {
    for (const key of await keysOf(redisPrefix)) await redis.del(key);
    redis.disconnect();
  }
});

/** A socket that records every packet it receives, acks included, as the raw frame text. */
function recordedSocket(auth: { cookie?: string; token?: string }): Promise<Socket> {
  const socket = io(api.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: auth.token ? { token: auth.token } : {},
    extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
  });
  sockets.push(socket);
  socket.io.on('open', () => socket.io.engine.on('packet', (packet: { data?: unknown }) => frames.push(typeof packet.data === 'string' ? packet.data : JSON.stringify(packet.data ?? null))));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function keysOf(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000');
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Every value under the prefix as text, whatever the key's type. */
async function redisDump(prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysOf(prefix)) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else if (type !== 'none') throw new Error(`no reader for redis type ${type} (${key})`);
  }
  return parts.join('\n');
}

/** The `table.column` cells of every text-like, JSON or byte column that hold any needle. */
async function postgresHits(needles: string[]): Promise<string[]> {
  const columns = await api.db.prisma.$queryRawUnsafe<{ table_name: string; column_name: string; data_type: string }[]>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema()
        AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const cell = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
    const rows = await api.db.prisma.$queryRawUnsafe<{ needle: string }[]>(
      `SELECT n AS needle FROM unnest($1::text[]) AS n WHERE EXISTS (SELECT 1 FROM "${table}" WHERE strpos(${cell}, n) > 0)`,
      needles,
    );
    for (const row of rows) hits.push(`${table}.${column} has ${row.needle}`);
  }
  return hits;
}

function found(haystack: string, needles: string[]): string[] {
  return needles.filter((needle) => haystack.includes(needle));
}

describe('secret canaries', () => {
  it('never stores, logs or sends a password, provider key, API token, session token or invite token', async () => {
    const tag = randomBytes(6).toString('hex');
    // Stored on purpose in each place searched, to prove each search finds what is there.
    const planted = `planted-canary-${tag}`;
    const workspaceId = (await owner.post('/api/v1/workspaces', { name: planted })).body.id as string;
    await redis.set(`${redisPrefix}:canary:string`, planted);
    await redis.hset(`${redisPrefix}:canary:hash`, 'field', planted);
    await redis.rpush(`${redisPrefix}:canary:list`, planted);
    await redis.xadd(`${redisPrefix}:canary:stream`, '*', 'field', planted);
    log.info({ planted }, 'planted on purpose');
    const { mission } = await createQueuedMission(api.db, { teamId: team.teamId, workspaceId, authorId: null, agent: 'shell', prompt: 'canary' });
    await insertEventBatch(api.db, mission.id, [{ seq: 2, ts: new Date().toISOString(), type: 'agent.message', payload: { text: planted } }]);

    // 1. A password, through invite acceptance (a new user) and sign-in.
    const password = `pw-canary-${tag}-long`;
    const invite = (await owner.post('/api/v1/invites', { role: 'member' })).body as { token: string; invite: { id: string } };
    expect((await new ApiClient(api.url).get(`/api/v1/invites/${invite.token}`)).status).toBe(200);
    const email = `canary-${tag}@test.garrison.dev`;
    // Signed out, from the invite page (same origin), as a browser would.
    const acceptance = await fetch(`${api.url}/api/v1/invites/${invite.token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.url },
      body: JSON.stringify({ email, name: 'Canary', password }),
    });
    const accepted = (await acceptance.json()) as { userId: string };
    expect(acceptance.status, JSON.stringify(accepted)).toBe(201);
    extraUsers.push(accepted.userId);
    const inviteeSession = acceptance.headers.getSetCookie().find((cookie) => cookie.startsWith('garrison_session='))!.split(';')[0]!.split('=')[1]!;
    const member = new ApiClient(api.url);
    await member.login(email, password);
    expect((await member.get('/api/v1/auth/me')).body.user.email).toBe(email);

    // 2. A provider key, set then read back as a summary.
    const providerKey = `sk-ant-canary-${tag}-0123456789abcdef`;
    expect((await owner.put('/api/v1/credentials/anthropic', { apiKey: providerKey })).status).toBe(200);
    expect(JSON.stringify((await owner.get('/api/v1/credentials')).body)).not.toContain(providerKey);

    // 3. An API token, used for a read, a write and a socket.
    const apiToken = (await owner.post('/api/v1/tokens', { name: 'canary' })).body.token as string;
    const bearer = new ApiClient(api.url, apiToken);
    expect((await bearer.get('/api/v1/workspaces')).status).toBe(200);
    expect((await bearer.post('/api/v1/templates', { name: `canary-${tag}` })).status).toBe(201);

    // 4. Session tokens: both users' cookies, on HTTP and sockets.
    const sessionTokens = [...[owner.sessionCookie!, member.sessionCookie!].map((cookie) => cookie.split('=')[1]!), inviteeSession];
    expect(sessionTokens.every((token) => token.length > 20)).toBe(true);

    const viaCookie = await recordedSocket({ cookie: owner.sessionCookie! });
    const viaToken = await recordedSocket({ token: apiToken });
    for (const socket of [viaCookie, viaToken]) {
      const ack = await socket.emitWithAck('mission:subscribe', { missionId: mission.id, afterSeq: 0 });
      expect(ack).toMatchObject({ ok: true });
    }
    await waitFor(() => frames.filter((frame) => frame.includes(planted)).length >= 2, { timeoutMs: 5000, what: 'the planted event on both sockets' });

    const secrets = { password, providerKey, apiToken, inviteToken: invite.token, ...Object.fromEntries(sessionTokens.map((token, index) => [`session${index}`, token])) };
    const needles = Object.values(secrets);
    expect(new Set(needles).size).toBe(needles.length);

    const inPostgres = await postgresHits([planted, ...needles]);
    expect(inPostgres).toContain(`Workspace.name has ${planted}`);
    expect(inPostgres.filter((hit) => !hit.endsWith(planted))).toEqual([]);

    const inRedis = await redisDump(redisPrefix);
    for (const key of ['string', 'hash', 'list', 'stream']) expect(inRedis).toContain(`${redisPrefix}:canary:${key}`);
    expect(inRedis.split(planted).length - 1).toBeGreaterThanOrEqual(4);
    expect(found(inRedis, needles)).toEqual([]);

    const logs = logLines.join('');
    expect(logs).toContain(planted);
    // The API's own lines are in there too (the request log of the calls above).
    expect(logs).toContain('/api/v1/credentials');
    expect(found(logs, needles)).toEqual([]);

    const received = frames.join('\n');
    expect(received).toContain(planted);
    expect(found(received, needles)).toEqual([]);
  });
});
