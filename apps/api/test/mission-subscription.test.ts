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

  it('steps over the holes event retention left up to prunedThroughSeq, and only those', async () => {
    // Pruned through 20: only the result (19) and the final status (20) are left of 1..20.
    const stored = [19, 20, 24].map(event);
    let queries = 0;
    const loadAfter = async (_id: string, after: number) => {
      queries += 1;
      return stored.filter((e) => e.seq > after);
    };
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 3, (e) => seen.push(e.seq), loadAfter, 20);
    await subscription.start();
    // 21..23 are above the pruned range: a hole there still waits for its events.
    expect(seen).toEqual([19, 20]);
    stored.push(...[21, 22, 23].map(event));
    stored.sort((a, b) => a.seq - b.seq);
    subscription.onLive([event(21), event(22), event(23), event(24)]);
    expect(seen).toEqual([19, 20, 21, 22, 23, 24]);
    expect(queries).toBe(1);
  });

  it('replays a pruned mission from the first stored seq without asking Postgres again and again', async () => {
    const stored = [7, 8].map(event);
    let queries = 0;
    const loadAfter = async (_id: string, after: number) => {
      queries += 1;
      return stored.filter((e) => e.seq > after);
    };
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), loadAfter, 8);
    await subscription.start();
    // A follow-up reopened it: its first new event comes live right after the pruned range.
    subscription.onLive([event(9)]);
    expect(seen).toEqual([7, 8, 9]);
    expect(queries).toBe(1);
  });

  it('resync fetches a mission\'s last events whose broadcast was lost, with no later event to show the gap', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 2;
    const seen: number[] = [];
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), loadAfter);
    await subscription.start();
    store.head = 4; // 3 and 4 committed while the broadcast connection was down
    subscription.resync();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('resync during a replay replays again once it ends, since that replay may have read too early', async () => {
    const { store, loadAfter } = fakeStore();
    store.head = 1;
    const seen: number[] = [];
    const slowLoad = async (id: string, after: number, limit: number) => {
      const page = await loadAfter(id, after, limit);
      if (store.head === 1) {
        store.head = 2; // committed after this query read, its broadcast lost
        subscription.resync();
      }
      return page;
    };
    const subscription = new MissionSubscription('m', 0, (e) => seen.push(e.seq), slowLoad);
    await subscription.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([1, 2]);
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
