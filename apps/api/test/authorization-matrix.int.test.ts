import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRole, type TeamRole } from '@garrison/core';
import { ApiClient, deleteTeam, seedTeam, uploadFile, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn, type TestMember } from './team-helpers.ts';

/**
 * Every route the app registers, with its authorization rule. A route missing from this table
 * fails the test: adding one means deciding who may call it.
 *
 * - `public`: answers without a caller (never 401).
 * - `min`: the lowest role that may call it; lower roles get 403.
 * - `self`: acts on the caller's own session or tokens, so any member (a viewer too) may write.
 * - `foreign`: the route names team-owned ids; another team's caller using them gets 404.
 */
interface Rule {
  public?: true;
  min?: TeamRole;
  self?: true;
  foreign?: true;
  body?: (ids: Ids) => unknown;
  raw?: true;
  query?: string;
  /** Not called by a role that may: it would end the caller's session or need a worker. */
  skipAllowed?: true;
}

interface Ids {
  workspaceId: string;
  missionId: string;
  inviteId: string;
  tokenId: string;
  memberId: string;
  teamId: string;
}

const RULES: Record<string, Rule> = {
  'GET /api/v1/health': { public: true },
  'GET /api/v1/ready': { public: true },
  // Installation-wide queue and process figures, no team data; METRICS_TOKEN guards it when set.
  'GET /metrics': { public: true },
  'GET /api/v1/auth/csrf': { public: true },
  'POST /api/v1/auth/login': { public: true },
  'POST /api/v1/auth/logout': { public: true },
  'GET /api/v1/invites/:token': { public: true },
  'POST /api/v1/invites/:token/accept': { public: true },
  'GET /api/v1/auth/me': { min: 'viewer' },
  // Signed in, with or without a team (a user in no team sees why): 401 only without a session.
  'GET /api/v1/auth/session': { min: 'viewer' },
  'POST /api/v1/auth/password': { min: 'viewer', self: true, skipAllowed: true, body: () => ({ currentPassword: 'not-the-password', newPassword: 'another-password-1' }) },
  'GET /api/v1/teams': { min: 'viewer' },
  'POST /api/v1/auth/team': { min: 'viewer', self: true, foreign: true, body: (ids) => ({ teamId: ids.teamId }) },
  'POST /api/v1/team/transfer': { min: 'owner', foreign: true, body: (ids) => ({ userId: ids.memberId }) },
  'DELETE /api/v1/team': { min: 'owner', body: () => ({ confirm: 'not the team name' }) },
  'GET /api/v1/members': { min: 'viewer' },
  'PATCH /api/v1/members/:userId': { min: 'admin', foreign: true, body: () => ({ role: 'viewer' }) },
  'DELETE /api/v1/members/:userId': { min: 'admin', foreign: true, skipAllowed: true },
  'GET /api/v1/invites': { min: 'admin' },
  'POST /api/v1/invites': { min: 'admin', body: () => ({ role: 'member' }) },
  'DELETE /api/v1/invites/:id': { min: 'admin', foreign: true },
  'GET /api/v1/tokens': { min: 'viewer' },
  'POST /api/v1/tokens': { min: 'viewer', self: true, body: () => ({ name: 'matrix', scopes: ['read'] }) },
  'DELETE /api/v1/tokens/:id': { min: 'viewer', self: true, foreign: true },
  'GET /api/v1/audit': { min: 'admin' },
  'POST /api/v1/workspaces': { min: 'member', body: () => ({ name: `matrix-${randomBytes(3).toString('hex')}` }) },
  'GET /api/v1/workspaces': { min: 'viewer' },
  'GET /api/v1/workspaces/:id': { min: 'viewer', foreign: true },
  'GET /api/v1/workspaces/:id/init-log': { min: 'viewer', foreign: true },
  'POST /api/v1/workspaces/:id/start': { min: 'member', foreign: true },
  'POST /api/v1/workspaces/:id/stop': { min: 'member', foreign: true },
  'POST /api/v1/workspaces/:id/pause': { min: 'member', foreign: true },
  'POST /api/v1/workspaces/:id/resume': { min: 'member', foreign: true },
  'POST /api/v1/workspaces/:id/rebuild': { min: 'member', foreign: true },
  'DELETE /api/v1/workspaces/:id': { min: 'member', foreign: true, body: () => ({ confirmName: 'x' }) },
  'GET /api/v1/workspaces/:id/files': { min: 'viewer', foreign: true },
  'GET /api/v1/workspaces/:id/files/content': { min: 'viewer', foreign: true, query: '?path=a.txt' },
  'GET /api/v1/workspaces/:id/files/download': { min: 'viewer', foreign: true, query: '?path=a.txt' },
  'PUT /api/v1/workspaces/:id/files/content': { min: 'member', foreign: true, raw: true, query: '?path=a.txt' },
  'GET /api/v1/workspaces/:id/stats': { min: 'viewer', foreign: true },
  'GET /api/v1/templates': { min: 'viewer' },
  'POST /api/v1/templates': { min: 'admin', body: () => ({ name: `matrix-${randomBytes(3).toString('hex')}` }) },
  'POST /api/v1/images/workspace/rebuild': { min: 'admin', body: () => ({}) },
  'POST /api/v1/missions': { min: 'member', foreign: true, body: (ids) => ({ workspaceId: ids.workspaceId, agent: 'shell', prompt: 'echo matrix' }) },
  'GET /api/v1/missions': { min: 'viewer' },
  'GET /api/v1/missions/:id': { min: 'viewer', foreign: true },
  'GET /api/v1/missions/:id/events': { min: 'viewer', foreign: true },
  'POST /api/v1/missions/:id/cancel': { min: 'member', foreign: true },
  'POST /api/v1/missions/:id/messages': { min: 'member', foreign: true, body: () => ({ text: 'hello' }) },
  'POST /api/v1/missions/:id/approvals/:approvalId': { min: 'member', foreign: true, body: () => ({ decision: 'deny' }) },
  'POST /api/v1/missions/:id/resume': { min: 'member', foreign: true, body: () => ({}) },
  'POST /api/v1/missions/:id/retry': { min: 'member', foreign: true },
  'GET /api/v1/missions/:id/attempts': { min: 'viewer', foreign: true },
  'GET /api/v1/missions/:id/files': { min: 'viewer', foreign: true },
  'GET /api/v1/missions/:id/usage': { min: 'viewer', foreign: true },
  'GET /api/v1/workspaces/:id/repositories': { min: 'viewer', foreign: true },
  'POST /api/v1/workspaces/:id/repositories': { min: 'member', foreign: true, body: () => ({ name: 'matrix', url: 'https://git.example.com/matrix.git' }) },
  'DELETE /api/v1/workspaces/:id/repositories/:repoId': { min: 'member', foreign: true },
  'POST /api/v1/workspaces/:id/repositories/:repoId/clone': { min: 'member', foreign: true },
  'GET /api/v1/missions/:id/diff': { min: 'viewer', foreign: true },
  'POST /api/v1/missions/:id/review/merge': { min: 'member', foreign: true, body: () => ({ mode: 'ff' }) },
  'POST /api/v1/missions/:id/review/push': { min: 'member', foreign: true, body: () => ({}) },
  'POST /api/v1/missions/:id/review/discard': { min: 'member', foreign: true },
  'GET /api/v1/credentials': { min: 'viewer' },
  'PUT /api/v1/credentials/:provider': { min: 'admin', body: () => ({ apiKey: 'sk-matrix-not-a-real-key' }) },
  'DELETE /api/v1/credentials/:provider': { min: 'admin' },
  'GET /api/v1/agents': { min: 'viewer' },
  'GET /api/v1/overview': { min: 'viewer' },
  'GET /api/v1/usage': { min: 'viewer' },
};

interface RouteLayer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
}

/** Walks Express 5's router stacks: mounted routers carry their mount path in `rawPath`. */
function listRoutes(stack: RouteLayer[], prefix = ''): string[] {
  const routes: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      routes.push(...listRoutes(layer.handle.stack, prefix + mount));
    }
  }
  return routes;
}

function fill(path: string, ids: Ids): string {
  return path
    .replace(':approvalId', `approval-${randomBytes(4).toString('hex')}`)
    .replace(':token', `gi_${randomBytes(16).toString('hex')}`)
    .replace(':provider', 'anthropic')
    .replace(':userId', ids.memberId)
    .replace(':repoId', `repo${randomBytes(4).toString('hex')}`)
    .replace(/^(\/api\/v1\/workspaces\/):id/, `$1${ids.workspaceId}`)
    .replace(/^(\/api\/v1\/missions\/):id/, `$1${ids.missionId}`)
    .replace(/^(\/api\/v1\/invites\/):id/, `$1${ids.inviteId}`)
    .replace(/^(\/api\/v1\/tokens\/):id/, `$1${ids.tokenId}`);
}

async function call(client: ApiClient, key: string, ids: Ids): Promise<{ status: number; body: any }> {
  const [method, path] = key.split(' ') as [string, string];
  const rule = RULES[key]!;
  const url = fill(path, ids) + (rule.query ?? '');
  // An upload is raw bytes; a bearer client is refused before the body matters.
  if (rule.raw && client.sessionCookie) return uploadFile(client.baseUrl, client.sessionCookie, ids.workspaceId, 'a.txt', 'bytes');
  if (rule.raw) return client.request(method, url, undefined, '{}');
  const body = rule.body?.(ids) ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  return client.request(method, url, body);
}

let fx: ApiFixture;
let teamA: TestTeam;
let teamB: TestTeam;
const members: Partial<Record<TeamRole, ApiClient>> = {};
const seeded: TestMember[] = [];
let ownerB: ApiClient;
let readToken: ApiClient;
let realIds: Ids;
let routes: string[];
let allRoutes: string[];

beforeAll(async () => {
  fx = await startApiFixture();
  teamA = await seedTeam(fx.api.db);
  teamB = await seedTeam(fx.api.db);
  members.owner = await signIn(fx.api.url, teamA);
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const member = await seedMember(fx.api.db, teamA.teamId, role);
    seeded.push(member);
    members[role] = await signIn(fx.api.url, member);
  }
  ownerB = await signIn(fx.api.url, teamB);
  const owner = members.owner;
  const workspace = await owner.post('/api/v1/workspaces', { name: 'matrix-a' });
  const mission = await owner.post('/api/v1/missions', { workspaceId: workspace.body.id, agent: 'shell', prompt: 'echo a' });
  const invite = await owner.post('/api/v1/invites', { role: 'member' });
  const token = await owner.post('/api/v1/tokens', { name: 'matrix-write' });
  const read = await owner.post('/api/v1/tokens', { name: 'matrix-read', scopes: ['read'] });
  expect([workspace.status, mission.status, invite.status, token.status, read.status]).toEqual([201, 201, 201, 201, 201]);
  readToken = new ApiClient(fx.api.url, read.body.token);
  realIds = {
    workspaceId: workspace.body.id,
    missionId: mission.body.id,
    inviteId: invite.body.id,
    tokenId: token.body.id,
    memberId: seeded[1]!.userId,
    teamId: teamA.teamId,
  };
  allRoutes = [...new Set(listRoutes((fx.api.app as Express & { router: { stack: RouteLayer[] } }).router.stack))];
  // The first test fails on unclassified routes; the others check the classified ones.
  routes = allRoutes.filter((route) => RULES[route]);
});

afterAll(async () => {
  if (teamA) await deleteTeam(fx.api.db, teamA);
  if (teamB) await deleteTeam(fx.api.db, teamB);
  await deleteUsers(fx.api.db, seeded.map((member) => member.userId));
  await fx?.close();
});

function bogusIds(): Ids {
  const bogus = `nope${randomBytes(6).toString('hex')}`;
  return { workspaceId: bogus, missionId: bogus, inviteId: bogus, tokenId: bogus, memberId: bogus, teamId: bogus };
}

const isWrite = (key: string) => !key.startsWith('GET ');

describe('authorization matrix', () => {
  it('classifies every route the app registers', () => {
    expect(allRoutes.length).toBeGreaterThan(40);
    const unclassified = allRoutes.filter((route) => !RULES[route]);
    expect(unclassified, 'add these routes to RULES with their authorization rule').toEqual([]);
  });

  it('answers 401 without a session or token, except the public routes', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      // No cookie, no token, no CSRF pair: a stranger's request.
      const response = await fetch(`${fx.api.url}${fill(path, bogusIds())}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      const status = response.status;
      const body = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { code?: string }) : null;
      if (RULES[route]!.public ? status === 401 : status !== 401 || body?.code !== 'unauthenticated') failures.push(`${route} -> ${status}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 to another team's owner using this team's ids, never 403 or 2xx", async () => {
    const failures: string[] = [];
    for (const route of routes.filter((candidate) => RULES[candidate]!.foreign)) {
      const { status } = await call(ownerB, route, realIds);
      if (status !== 404) failures.push(`${route} -> ${status}`);
    }
    expect(failures).toEqual([]);
    // And nothing of team A changed: its mission is still queued, its workspace and member still there.
    expect((await members.owner!.get(`/api/v1/missions/${realIds.missionId}`)).body.status).toBe('queued');
    expect((await members.owner!.get(`/api/v1/workspaces/${realIds.workspaceId}`)).status).toBe(200);
    expect((await members.owner!.get('/api/v1/members')).body.members).toHaveLength(4);
  });

  it('refuses a read-only token every write with token_scope', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((candidate) => isWrite(candidate) && !RULES[candidate]!.public)) {
      const { status, body } = await call(readToken, route, realIds);
      if (status !== 403 || body?.code !== 'token_scope') failures.push(`${route} -> ${status} ${body?.code}`);
    }
    expect(failures).toEqual([]);
    expect((await readToken.get('/api/v1/workspaces')).status).toBe(200);
  });

  it.each(['viewer', 'member', 'admin'] as const)('refuses a %s with 403 where the route needs a higher role', async (role) => {
    const failures: string[] = [];
    for (const route of routes) {
      const rule = RULES[route]!;
      if (rule.public || !rule.min || hasRole(role, rule.min)) continue;
      const { status, body } = await call(members[role]!, route, realIds);
      if (status !== 403 || body?.code !== 'forbidden') failures.push(`${route} -> ${status} ${body?.code}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a viewer every write except on its own session and tokens', async () => {
    const writes = routes.filter((route) => isWrite(route) && !RULES[route]!.public && !RULES[route]!.self);
    expect(writes.length).toBeGreaterThan(20);
    for (const route of writes) expect(RULES[route]!.min === 'viewer', `${route} is a write a viewer may do`).toBe(false);
  });

  it.each(['viewer', 'member', 'admin', 'owner'] as const)('lets a %s past authorization where its role suffices', async (role) => {
    const failures: string[] = [];
    for (const route of routes) {
      const rule = RULES[route]!;
      if (rule.public || rule.skipAllowed || !rule.min || !hasRole(role, rule.min)) continue;
      // Unknown ids: the request passes the role checks and then finds nothing (or succeeds harmlessly).
      const { status, body } = await call(members[role]!, route, bogusIds());
      if (status === 401 || status === 403) failures.push(`${route} -> ${status} ${body?.code}`);
    }
    expect(failures).toEqual([]);
  });
});
