import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Channel, redisName, type MissionEvent, type RunnerEvent } from '@garrison/core';
import { insertEventBatch } from '@garrison/db';
import { MissionWatcher, TEST_REDIS_URL, waitFor } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

let fx: ApiFixture;
let redis: Redis;
beforeAll(async () => {
  fx = await startApiFixture();
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await fx?.close();
});

function outputEvents(from: number, to: number): RunnerEvent[] {
  const events: RunnerEvent[] = [];
  for (let seq = from; seq <= to; seq += 1) {
    events.push({ seq, ts: new Date().toISOString(), type: 'process.output', payload: { stream: 'stdout', text: `line ${seq}` } });
  }
  return events;
}

/** What the worker does: insert idempotently, then publish only what was inserted. */
async function persistAndPublish(missionId: string, events: RunnerEvent[]): Promise<MissionEvent[]> {
  const inserted = await insertEventBatch(fx.api.db, missionId, events);
  await redis.publish(redisName(fx.redisPrefix, Channel.MissionEvents), JSON.stringify({ missionId, events: inserted }));
  return inserted;
}

async function newMission() {
  const { client, team } = await fx.signedIn();
  const workspace = (await client.post('/api/v1/workspaces', { name: 'ws' })).body;
  const mission = (await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'true' })).body;
  return { client, team, missionId: mission.id as string };
}

describe('mission:subscribe', () => {
  it('replays from afterSeq, then streams live, with no gap and no duplicate', async () => {
    const { client, missionId } = await newMission();
    await persistAndPublish(missionId, outputEvents(2, 50));
    const watcher = new MissionWatcher(fx.api.url, { cookie: client.sessionCookie! }, missionId, 10);
    await waitFor(() => watcher.events.length === 40, { what: 'replay of 11..50' });
    expect(watcher.lastAck).toEqual({ ok: true, headSeq: 50 });

    await persistAndPublish(missionId, outputEvents(51, 60));
    // A duplicate delivery inserts nothing and so broadcasts nothing.
    expect(await persistAndPublish(missionId, outputEvents(51, 60))).toEqual([]);
    await waitFor(() => watcher.events.length === 50, { what: 'live 51..60' });
    expect(watcher.events.map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, index) => index + 11));
    watcher.close();
  });

  it('equals Postgres after the client reconnects mid-stream', async () => {
    const { client, missionId } = await newMission();
    const watcher = new MissionWatcher(fx.api.url, { cookie: client.sessionCookie! }, missionId, 0);
    await persistAndPublish(missionId, outputEvents(2, 20));
    await waitFor(() => watcher.events.length === 20, { what: 'first 20' });
    watcher.socket.disconnect();
    await persistAndPublish(missionId, outputEvents(21, 40)); // missed while offline
    watcher.socket.connect();
    await persistAndPublish(missionId, outputEvents(41, 45));
    await waitFor(() => watcher.events.length === 45, { what: 'catch-up to 45' });
    const stored = (await client.get(`/api/v1/missions/${missionId}/events?limit=5000`)).body.events as MissionEvent[];
    expect(watcher.events.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(watcher.events.map((event) => event.payload)).toEqual(stored.map((event) => event.payload));
    watcher.close();
  });

  it('fills a gap when a broadcast never arrives', async () => {
    const { client, missionId } = await newMission();
    const watcher = new MissionWatcher(fx.api.url, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.events.length === 1, { what: 'seq 1' });
    await insertEventBatch(fx.api.db, missionId, outputEvents(2, 5)); // persisted, never published
    await persistAndPublish(missionId, outputEvents(6, 6));
    await waitFor(() => watcher.events.length === 6, { what: 'gap 2..5 filled' });
    expect(watcher.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    watcher.close();
  });

  it('will not subscribe to another team\'s mission', async () => {
    const { missionId } = await newMission();
    const { client: stranger } = await fx.signedIn();
    const watcher = new MissionWatcher(fx.api.url, { cookie: stranger.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.lastAck, { what: 'subscribe ack' });
    expect(watcher.lastAck).toMatchObject({ ok: false, code: 'mission_not_found' });
    expect(watcher.events).toEqual([]);
    watcher.close();
  });

  it('refuses a handshake from another site\'s page even with a valid session cookie', async () => {
    const { client } = await newMission();
    const evil = io(fx.api.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: client.sessionCookie!, origin: 'https://evil.example' },
    });
    const error = await new Promise<Error>((resolve) => evil.once('connect_error', resolve));
    expect(error.message).toMatch(/websocket error|origin/i);
    expect(evil.connected).toBe(false);
    evil.close();
  });

  it('accepts an API token in auth and refuses a connection without credentials', async () => {
    const { client, missionId } = await newMission();
    const token = (await client.post('/api/v1/tokens', { name: 'socket' })).body.token as string;
    const watcher = new MissionWatcher(fx.api.url, { token }, missionId, 0);
    await waitFor(() => watcher.events.length === 1, { what: 'event via token auth' });
    watcher.close();

    const anonymous = io(fx.api.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => anonymous.once('connect_error', resolve));
    expect(error.message).toBe('unauthenticated');
    anonymous.close();
  });
});
