import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTeam, seedTeam, TEST_DATABASE_URL, type TestTeam } from '@garrison/testkit';
import { changeMissionStatus, claimQueuedMission, createDb, createQueuedMission, nextQueuedMission, queuePosition, type Db } from '../src/index.ts';

let db: Db;
let team: TestTeam;
beforeAll(async () => {
  db = createDb(TEST_DATABASE_URL, { poolSize: 4 });
  team = await seedTeam(db);
});
afterAll(async () => {
  await deleteTeam(db, team);
  await db.close();
});

async function workspace(name: string): Promise<string> {
  return (await db.prisma.workspace.create({ data: { teamId: team.teamId, name, maxConcurrent: 1 } })).id;
}

/** Queued one after another, so createdAt grows in the order given. */
async function queue(workspaceId: string, priorities: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const priority of priorities) {
    const { mission } = await createQueuedMission(db, { teamId: team.teamId, workspaceId, authorId: null, agent: 'shell', prompt: 'true', priority });
    ids.push(mission.id);
  }
  return ids;
}

describe("a workspace's line of queued missions", () => {
  it('is highest priority first, then oldest first, in position, wake-up and claim alike', async () => {
    const workspaceId = await workspace('line');
    const [low, normalOld, high, normalNew, highest] = await queue(workspaceId, [-5, 0, 5, 0, 10]);
    const line = [highest!, high!, normalOld!, normalNew!, low!];

    expect(await Promise.all(line.map((id) => queuePosition(db, id)))).toEqual([1, 2, 3, 4, 5]);
    expect(await nextQueuedMission(db, workspaceId)).toBe(highest);
    // Everyone but the head is told how many are ahead of it.
    expect(await claimQueuedMission(db, low!)).toEqual({ outcome: 'wait', ahead: 4 });
    expect(await claimQueuedMission(db, normalOld!)).toEqual({ outcome: 'wait', ahead: 2 });

    // Claim and finish them in turn: each time exactly the head of the line gets the one slot.
    for (const [index, id] of line.entries()) {
      expect(await nextQueuedMission(db, workspaceId)).toBe(id);
      for (const behind of line.slice(index + 1)) expect((await claimQueuedMission(db, behind)).outcome).toBe('wait');
      expect((await claimQueuedMission(db, id)).outcome).toBe('claimed');
      expect(await queuePosition(db, id)).toBeNull();
      await changeMissionStatus(db, id, 'canceled', 'test');
    }
    expect(await nextQueuedMission(db, workspaceId)).toBeNull();
  });

  it('keeps oldest first among missions of equal priority, and other workspaces out of it', async () => {
    const workspaceId = await workspace('fifo');
    const other = await workspace('other');
    const [first, second] = await queue(workspaceId, [3, 3]);
    await queue(other, [10]);
    expect(await queuePosition(db, first!)).toBe(1);
    expect(await queuePosition(db, second!)).toBe(2);
    expect(await claimQueuedMission(db, second!)).toEqual({ outcome: 'wait', ahead: 1 });
    expect((await claimQueuedMission(db, first!)).outcome).toBe('claimed');
  });
});
