import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Channel, redisName, SocketEvent, type TeamMissionEvent, type TeamWorkspaceEvent, type WorkspaceStatusEvent } from '@garrison/core';
import { changeMissionStatus } from '@garrison/db';
import { TEST_REDIS_URL, waitFor, type ApiClient } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
let redis: Redis;
const sockets: Socket[] = [];
beforeAll(async () => {
  fx = await startApiFixture();
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  redis?.disconnect();
  await fx?.close();
});

/** A dashboard's connection: it hears its team room without asking for anything. */
async function listen(client: ApiClient) {
  const missions: TeamMissionEvent[] = [];
  const workspaces: TeamWorkspaceEvent[] = [];
  const socket = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.sessionCookie! } });
  sockets.push(socket);
  socket.on(SocketEvent.TeamMission, (event: TeamMissionEvent) => missions.push(event));
  socket.on(SocketEvent.TeamWorkspace, (event: TeamWorkspaceEvent) => workspaces.push(event));
  await waitFor(() => socket.connected, { what: 'socket connected' });
  return { missions, workspaces };
}

async function publishWorkspaceStatus(event: WorkspaceStatusEvent): Promise<void> {
  await redis.publish(redisName(fx.redisPrefix, Channel.WorkspaceEvents), JSON.stringify(event));
}

describe('team room', () => {
  it("tells a team about its own missions and workspaces, never another team's", async () => {
    const a = await fx.signedIn();
    const b = await fx.signedIn();
    const heardA = await listen(a.client);
    const heardB = await listen(b.client);
    const workspaceA = (await a.client.post('/api/v1/workspaces', { name: 'room-a' })).body;
    const workspaceB = (await b.client.post('/api/v1/workspaces', { name: 'room-b' })).body;

    // Created: the API publishes the first status event with the mission's team.
    const mission = (await a.client.post('/api/v1/missions', { workspaceId: workspaceA.id, agent: 'shell', prompt: 'echo hi' })).body;
    await waitFor(() => heardA.missions.some((event) => event.missionId === mission.id && event.status === 'queued'), { what: 'A hears its new mission' });
    expect(heardA.missions.find((event) => event.missionId === mission.id)).toMatchObject({ workspaceId: workspaceA.id, status: 'queued' });

    // A status change stored by the worker reaches the room as the worker publishes it.
    const change = (await changeMissionStatus(fx.api.db, mission.id, 'provisioning', null))!;
    await redis.publish(
      redisName(fx.redisPrefix, Channel.MissionEvents),
      JSON.stringify({ missionId: mission.id, teamId: a.team.teamId, workspaceId: workspaceA.id, events: [change.event] }),
    );
    await waitFor(() => heardA.missions.some((event) => event.missionId === mission.id && event.status === 'provisioning'), { what: 'A hears provisioning' });

    // A cancel through the API, and a workspace status change from the worker.
    await a.client.post(`/api/v1/missions/${mission.id}/cancel`);
    await publishWorkspaceStatus({ workspaceId: workspaceA.id, teamId: a.team.teamId, status: 'running', statusMessage: null, operation: 'start', at: new Date().toISOString() });
    await waitFor(() => heardA.workspaces.some((event) => event.workspaceId === workspaceA.id && event.status === 'running'), { what: 'A hears its workspace' });

    // Team B's own events arrive after all of A's were sent: by then any leak would have arrived too.
    const missionB = (await b.client.post('/api/v1/missions', { workspaceId: workspaceB.id, agent: 'shell', prompt: 'echo b' })).body;
    await publishWorkspaceStatus({ workspaceId: workspaceB.id, teamId: b.team.teamId, status: 'stopped', statusMessage: null, operation: 'stop', at: new Date().toISOString() });
    await waitFor(() => heardB.missions.some((event) => event.missionId === missionB.id) && heardB.workspaces.length > 0, { what: "B hears its own" });
    expect(heardB.missions.map((event) => event.missionId)).toEqual([missionB.id]);
    expect(heardB.workspaces.map((event) => event.workspaceId)).toEqual([workspaceB.id]);
    expect(heardA.missions.every((event) => event.missionId === mission.id)).toBe(true);
    expect(heardA.workspaces.every((event) => event.workspaceId === workspaceA.id)).toBe(true);
  });

  it('relays a batch without a team to mission subscribers only, not to any room', async () => {
    const a = await fx.signedIn();
    const heard = await listen(a.client);
    const workspace = (await a.client.post('/api/v1/workspaces', { name: 'legacy' })).body;
    const mission = (await a.client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'true' })).body;
    await waitFor(() => heard.missions.length === 1, { what: 'created' });
    const change = (await changeMissionStatus(fx.api.db, mission.id, 'provisioning', null))!;
    await redis.publish(redisName(fx.redisPrefix, Channel.MissionEvents), JSON.stringify({ missionId: mission.id, events: [change.event] }));
    // The next change is published with its team, as every publisher now does: it comes, the first never did.
    const failed = (await changeMissionStatus(fx.api.db, mission.id, 'failed', 'test'))!;
    await redis.publish(
      redisName(fx.redisPrefix, Channel.MissionEvents),
      JSON.stringify({ missionId: mission.id, teamId: a.team.teamId, workspaceId: workspace.id, events: [failed.event] }),
    );
    await waitFor(() => heard.missions.some((event) => event.status === 'failed'), { what: 'failed' });
    expect(heard.missions.map((event) => event.status)).not.toContain('provisioning');
  });
});
