import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissionBroadcast, MissionEvent } from '@garrison/core';
import { createDb, type Db } from '@garrison/db';
import { deleteTeam, seedTeam, TEST_DATABASE_URL, TEST_REDIS_URL, waitFor, type TestTeam } from '@garrison/testkit';
import { createEventPublisher } from '../src/missions/event-publisher.ts';
import { cachedMissionScope } from '../src/missions/mission-scope.ts';

let db: Db;
let team: TestTeam;
let publisher: Redis;
let subscriber: Redis;
const channel = `gt-${randomBytes(4).toString('hex')}:mission-events`;
const heard: MissionBroadcast[] = [];

beforeAll(async () => {
  db = createDb(TEST_DATABASE_URL, { poolSize: 2 });
  team = await seedTeam(db);
  publisher = new Redis(TEST_REDIS_URL);
  subscriber = new Redis(TEST_REDIS_URL);
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel, message) => heard.push(JSON.parse(message) as MissionBroadcast));
});
afterAll(async () => {
  subscriber?.disconnect();
  publisher?.disconnect();
  await deleteTeam(db, team);
  await db.close();
});

describe('mission event publisher', () => {
  it('names the team and workspace of a batch holding a status change, reading them once', async () => {
    const workspace = await db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'scope' } });
    const mission = await db.prisma.mission.create({ data: { teamId: team.teamId, workspaceId: workspace.id, agent: 'shell', prompt: 'true' } });
    let lookups = 0;
    const scope = cachedMissionScope(db);
    const publish = createEventPublisher(publisher, channel, (id) => {
      lookups += 1;
      return scope(id);
    });
    const ts = new Date().toISOString();
    const status = (seq: number, to: string): MissionEvent => ({ missionId: mission.id, seq, ts, type: 'mission.status', payload: { status: to, previous: null, reason: null } });
    const output: MissionEvent = { missionId: mission.id, seq: 3, ts, type: 'process.output', payload: { stream: 'stdout', text: 'hi' } };

    await publish(mission.id, [status(2, 'running')]);
    await publish(mission.id, [output]);
    await publish(mission.id, [status(4, 'completed')]);
    await waitFor(() => heard.length === 3, { what: 'three broadcasts' });
    expect(heard[0]).toMatchObject({ missionId: mission.id, teamId: team.teamId, workspaceId: workspace.id });
    expect(heard[1]).not.toHaveProperty('teamId');
    expect(heard[1]!.events).toEqual([output]);
    expect(heard[2]).toMatchObject({ teamId: team.teamId, workspaceId: workspace.id, events: [status(4, 'completed')] });
    // Two status batches asked twice; the cache answered the second without Postgres.
    expect(lookups).toBe(2);
  });

  it('forgets the oldest missions past its bound', async () => {
    const workspace = await db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'bound' } });
    const missions = await Promise.all([1, 2, 3].map(() => db.prisma.mission.create({ data: { teamId: team.teamId, workspaceId: workspace.id, agent: 'shell', prompt: 'x' } })));
    const scope = cachedMissionScope(db, 2);
    for (const mission of missions) expect(await scope(mission.id)).toEqual({ teamId: team.teamId, workspaceId: workspace.id });
    await db.prisma.mission.delete({ where: { id: missions[0]!.id } });
    await db.prisma.mission.delete({ where: { id: missions[2]!.id } });
    expect(await scope(missions[0]!.id)).toBeNull();
    expect(await scope(missions[2]!.id)).toEqual({ teamId: team.teamId, workspaceId: workspace.id });
    expect(await scope('no-such-mission')).toBeNull();
  });
});
