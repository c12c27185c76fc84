import { describe, expect, it } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { MissionSubscription } from '../src/sockets/mission-subscription.ts';

function event(seq: number): MissionEvent {
  return { missionId: 'm', seq, ts: new Date(0).toISOString(), type: 'process.output', payload: { stream: 'stdout', text: `line ${seq}` } };
}

/** A fake Postgres holding events 1..head; `head` grows as the test "commits" more. */
function fakeStore() {
  const store = { head: 0, queries: 0 };
  const loadAfter = async (_id: string, after: number, limit: number) => {
    store.queries += 1;
    const events: MissionEvent[] = [];
    for (let seq = after + 1; seq <= Math.min(store.head, after + limit); seq += 1) events.push(event(seq));
    return events;
  };
  return { store, loadAfter };
}

describe('MissionSubscription', () => {
  it('replays from afterSeq, then continues live without duplicates', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 5;
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 2, (e) => seen.push(e.seq), loadAfter);
    await subscription.start();
    subscription.onLive([event(4), event(5), event(6)]);
    store.head = 7;
    subscription.onLive([event(7)]);
    expect(seen).toEqual([3, 4, 5, 6, 7]);
  });

  it('holds live events that arrive during the replay and delivers them after it', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 3;
    const seen: number[] = [];
    const slowLoad = async (id: string, after: number, limit: number) => {
      const page = await loadAfter(id, after, limit);
      // While the replay query is in flight, seq 4 commits and its broadcast arrives.
      store.head = 4;
      subscription.onLive([event(4)]);
      return page;
    };
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), slowLoad);
    await subscription.start();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('fills a gap from Postgres when a broadcast was lost', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 2;
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), loadAfter);
    await subscription.start();
    store.head = 6;
    subscription.onLive([event(6)]); // 3..5 were never broadcast to this node
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('pages through a long replay', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 2500;
    const seen: number[] = [];
    await new MissionSubscription('m', 0, (e) => seen.push(e.seq), loadAfter).start();
    expect(seen).toHaveLength(2500);
    expect(seen.every((seq, index) => seq === index + 1)).toBe(true);
    expect(store.queries).toBe(3);
  });

  it('sends nothing after it is closed', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 1;
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), loadAfter);
    await subscription.start();
    subscription.close();
    subscription.onLive([event(2)]);
    expect(seen).toEqual([1]);
  });
});
