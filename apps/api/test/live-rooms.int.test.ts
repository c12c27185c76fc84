import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Channel, SocketEvent, TerminalEvent, redisName, type TeamWorkspaceEvent, type WorkspaceStatusEvent } from '@garrison/core';
import { TEST_REDIS_URL, deleteTeam, seedTeam, waitFor, type ApiClient, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';
import { deleteUsers, seedMember, signIn } from './team-helpers.ts';

let fx: ApiFixture;
let redis: Redis;
const sockets: Socket[] = [];
const teams: TestTeam[] = [];
const users: string[] = [];

beforeAll(async () => {
  fx = await startApiFixture();
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  redis?.disconnect();
  for (const team of teams) await deleteTeam(fx.api.db, team);
  await deleteUsers(fx.api.db, users);
  await fx?.close();
});

async function newTeam(): Promise<TestTeam> {
  const team = await seedTeam(fx.api.db);
  teams.push(team);
  return team;
}

interface Live {
  socket: Socket;
  heard: TeamWorkspaceEvent[];
  disconnectedAt: number | null;
  reason: string | null;
}

/** A dashboard tab: the session cookie, no automatic reconnection (the test reconnects on purpose). */
async function connect(client: ApiClient): Promise<Live> {
  const socket = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.sessionCookie! }, reconnection: false, forceNew: true });
  sockets.push(socket);
  const live: Live = { socket, heard: [], disconnectedAt: null, reason: null };
  socket.on(SocketEvent.TeamWorkspace, (event: TeamWorkspaceEvent) => live.heard.push(event));
  socket.on('disconnect', (reason) => {
    live.disconnectedAt = Date.now();
    live.reason = reason;
  });
  await waitFor(() => socket.connected, { what: 'socket connected', timeoutMs: 5000 });
  // The identity rooms are joined right after connect, with one membership query.
  await new Promise<void>((resolve) => socket.emit(SocketEvent.ImagesSubscribe, {}, () => resolve()));
  return live;
}

/** Resolves with the handshake's outcome: connected, or the server's refusal code. */
async function tryConnect(client: ApiClient): Promise<'connected' | string> {
  const socket = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.sessionCookie! }, reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.on('connect', () => resolve('connected'));
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? error.message));
  });
}

function ack<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve) => socket.emit(event, payload, (reply: T) => resolve(reply)));
}

async function publishWorkspaceStatus(teamId: string, workspaceId: string): Promise<void> {
  const event: WorkspaceStatusEvent = { workspaceId, teamId, status: 'stopped', statusMessage: null, operation: 'stop', at: new Date().toISOString() };
  await redis.publish(redisName(fx.redisPrefix, Channel.WorkspaceEvents), JSON.stringify(event));
}

describe('socket rooms', () => {
  it("refuses every room and terminal of another team's ids", async () => {
    const teamA = await newTeam();
    const { client: ownerA } = await fx.signedIn(teamA);
    const { client: ownerB } = await fx.signedIn(await newTeam());
    const workspace = (await ownerA.post('/api/v1/workspaces', { name: 'rooms-a' })).body;
    const mission = (await ownerA.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo a' })).body;
    const b = await connect(ownerB);

    expect(await ack(b.socket, SocketEvent.Subscribe, { missionId: mission.id, afterSeq: 0 })).toMatchObject({ ok: false, code: 'mission_not_found' });
    expect(await ack(b.socket, SocketEvent.WorkspaceSubscribe, { workspaceId: workspace.id })).toMatchObject({ ok: false, code: 'workspace_not_found' });
    expect(await ack(b.socket, TerminalEvent.Open, { workspaceId: workspace.id, cols: 80, rows: 24 })).toMatchObject({ ok: false, code: 'workspace_not_found' });
    // The team room is joined at connect, for the caller's own team only.
    const a = await connect(ownerA);
    await publishWorkspaceStatus(teamA.teamId, workspace.id);
    await waitFor(() => a.heard.some((event) => event.workspaceId === workspace.id), { what: 'A hears its workspace' });
    expect(b.heard).toEqual([]);
  });

  it('lets a viewer watch a mission but not open a terminal', async () => {
    const team = await newTeam();
    const { client: owner } = await fx.signedIn(team);
    const viewer = await seedMember(fx.api.db, team.teamId, 'viewer');
    users.push(viewer.userId);
    const workspace = (await owner.post('/api/v1/workspaces', { name: 'rooms-viewer' })).body;
    const mission = (await owner.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'echo a' })).body;
    const live = await connect(await signIn(fx.api.url, viewer));
    expect(await ack(live.socket, SocketEvent.Subscribe, { missionId: mission.id, afterSeq: 0 })).toMatchObject({ ok: true });
    expect(await ack(live.socket, SocketEvent.WorkspaceSubscribe, { workspaceId: workspace.id })).toMatchObject({ ok: true });
    expect(await ack(live.socket, TerminalEvent.Open, { workspaceId: workspace.id, cols: 80, rows: 24 })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('disconnects a removed member within a second, and the member cannot rejoin', async () => {
    const team = await newTeam();
    const { client: owner } = await fx.signedIn(team);
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    users.push(member.userId);
    const memberClient = await signIn(fx.api.url, member);
    const live = await connect(memberClient);
    const other = await connect(owner);

    const removedAt = Date.now();
    expect((await owner.delete(`/api/v1/members/${member.userId}`)).status).toBe(204);
    await waitFor(() => live.disconnectedAt, { what: 'the removed member disconnected', timeoutMs: 1000 });
    expect(live.reason).toBe('io server disconnect');
    expect(live.disconnectedAt! - removedAt).toBeLessThan(1000);
    // Only their sockets: the owner's stays.
    expect(other.socket.connected).toBe(true);
    // They belong to no team any more: the handshake refuses them.
    expect(await tryConnect(memberClient)).toBe('unauthenticated');
  });

  it('reconnects a demoted member with the new role', async () => {
    const team = await newTeam();
    const { client: owner } = await fx.signedIn(team);
    const member = await seedMember(fx.api.db, team.teamId, 'member');
    users.push(member.userId);
    const memberClient = await signIn(fx.api.url, member);
    const live = await connect(memberClient);
    const workspace = (await owner.post('/api/v1/workspaces', { name: 'rooms-demote' })).body;

    expect((await owner.request('PATCH', `/api/v1/members/${member.userId}`, { role: 'viewer' })).status).toBe(200);
    await waitFor(() => live.disconnectedAt, { what: 'the demoted member disconnected', timeoutMs: 1000 });
    const again = await connect(memberClient);
    expect(await ack(again.socket, TerminalEvent.Open, { workspaceId: workspace.id, cols: 80, rows: 24 })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it("drops a session's sockets when it signs out", async () => {
    const { client } = await fx.signedIn(await newTeam());
    const live = await connect(client);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    await waitFor(() => live.disconnectedAt, { what: 'the signed-out session disconnected', timeoutMs: 1000 });
    expect(await tryConnect(client)).toBe('unauthenticated');
  });

  it('drops the sockets of a revoked API token, and refuses it afterwards', async () => {
    const { client } = await fx.signedIn(await newTeam());
    const issued = (await client.post('/api/v1/tokens', { name: 'follower', scopes: ['read'] })).body;
    const open = () => io(fx.api.url, { path: '/socket.io', transports: ['websocket'], auth: { token: issued.token }, reconnection: false, forceNew: true });
    const socket = open();
    sockets.push(socket);
    let reason: string | null = null;
    socket.on('disconnect', (why) => {
      reason = why;
    });
    await waitFor(() => socket.connected, { what: 'token socket connected', timeoutMs: 5000 });
    await new Promise<void>((resolve) => socket.emit(SocketEvent.ImagesSubscribe, {}, () => resolve()));
    expect((await client.delete(`/api/v1/tokens/${issued.id}`)).status).toBe(204);
    await waitFor(() => reason, { what: 'the token socket disconnected', timeoutMs: 1000 });
    const again = open();
    sockets.push(again);
    const refused = await new Promise<string>((resolve) => again.on('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? error.message)));
    expect(refused).toBe('unauthenticated');
  });

  it("moves a session's other tabs to the team it switched to, without the old team's rooms", async () => {
    const teamA = await newTeam();
    const teamB = await newTeam();
    await fx.api.db.prisma.membership.create({ data: { teamId: teamB.teamId, userId: teamA.userId, role: 'member' } });
    const { client } = await fx.signedIn(teamA);
    const workspaceA = (await client.post('/api/v1/workspaces', { name: 'switch-a' })).body;
    const oldTab = await connect(client);
    expect(await ack(oldTab.socket, SocketEvent.WorkspaceSubscribe, { workspaceId: workspaceA.id })).toMatchObject({ ok: true });

    // Another tab of the same session switches to team B.
    expect((await client.post('/api/v1/auth/team', { teamId: teamB.teamId })).status).toBe(200);
    await waitFor(() => oldTab.disconnectedAt, { what: 'the old tab disconnected', timeoutMs: 1000 });

    const newTab = await connect(client);
    await publishWorkspaceStatus(teamA.teamId, workspaceA.id);
    await publishWorkspaceStatus(teamB.teamId, 'workspace-of-b');
    await waitFor(() => newTab.heard.some((event) => event.workspaceId === 'workspace-of-b'), { what: "the tab hears team B's room" });
    expect(newTab.heard.map((event) => event.workspaceId)).toEqual(['workspace-of-b']);
    expect(await ack(newTab.socket, SocketEvent.WorkspaceSubscribe, { workspaceId: workspaceA.id })).toMatchObject({ ok: false, code: 'workspace_not_found' });
  });
});
