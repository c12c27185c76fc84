import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Channel, redisName, type MissionEvent, type RunnerEvent } from '@garrison/core';
import { insertEventBatch, pruneMissionEvents } from '@garrison/db';
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

const ts = () => new Date().toISOString();

/** A mission that ran (seq 1 queued ... 30 result, 31 completed), then had its events pruned. */
async function prunedMission() {
  const { client } = await fx.signedIn();
  const workspace = (await client.post('/api/v1/workspaces', { name: 'pruned' })).body;
  const missionId = (await client.post('/api/v1/missions', { workspaceId: workspace.id, agent: 'shell', prompt: 'true' })).body.id as string;
  const events: RunnerEvent[] = [{ seq: 2, ts: ts(), type: 'mission.status', payload: { status: 'running', previous: 'queued', reason: null } }];
  for (let seq = 3; seq <= 29; seq += 1) events.push({ seq, ts: ts(), type: 'process.output', payload: { stream: 'stdout', text: `line ${seq}` } });
  events.push(
    { seq: 30, ts: ts(), type: 'mission.result', payload: { outcome: 'exited', exitCode: 0, signal: null } },
    { seq: 31, ts: ts(), type: 'mission.status', payload: { status: 'completed', previous: 'running', reason: null } },
  );
  await insertEventBatch(fx.api.db, missionId, events);
  expect(await pruneMissionEvents(fx.api.db, { id: missionId, throughSeq: 31 }, 10)).toBe(29);
  return { client, missionId };
}

describe('a mission whose older events were pruned', () => {
  it('replays what remains over a socket, says where the holes end, and then streams live', async () => {
    const { client, missionId } = await prunedMission();
    for (const afterSeq of [0, 12]) {
      const watcher = new MissionWatcher(fx.api.url, { cookie: client.sessionCookie! }, missionId, afterSeq);
      await waitFor(() => watcher.events.length === 2, { what: `replay of the kept events after ${afterSeq}` });
      expect(watcher.lastAck).toEqual({ ok: true, headSeq: 31, prunedThroughSeq: 31 });
      expect(watcher.events.map((event) => [event.seq, event.type])).toEqual([[30, 'mission.result'], [31, 'mission.status']]);
      watcher.close();
    }

    // Live events after the pruned range (a follow-up reopened it) flow on without a gap hunt.
    const watcher = new MissionWatcher(fx.api.url, { cookie: client.sessionCookie! }, missionId, 0);
    await waitFor(() => watcher.events.length === 2, { what: 'replay before live' });
    const live = await insertEventBatch(fx.api.db, missionId, [{ seq: 32, ts: ts(), type: 'mission.status', payload: { status: 'queued', previous: 'completed', reason: 'follow_up' } }]);
    await redis.publish(redisName(fx.redisPrefix, Channel.MissionEvents), JSON.stringify({ missionId, events: live }));
    await waitFor(() => watcher.events.length === 3, { what: 'live seq 32' });
    expect(watcher.events.map((event) => event.seq)).toEqual([30, 31, 32]);
    watcher.close();
  });

  it('serves the remaining events over REST and says when they were pruned', async () => {
    const { client, missionId } = await prunedMission();
    const page = (await client.get(`/api/v1/missions/${missionId}/events?afterSeq=0`)).body as { events: MissionEvent[]; headSeq: number; nextAfterSeq: number; prunedThroughSeq: number };
    expect(page.events.map((event) => event.seq)).toEqual([30, 31]);
    expect(page).toMatchObject({ headSeq: 31, nextAfterSeq: 31, prunedThroughSeq: 31 });
    const mission = (await client.get(`/api/v1/missions/${missionId}`)).body;
    expect(Date.parse(mission.eventsPrunedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});
