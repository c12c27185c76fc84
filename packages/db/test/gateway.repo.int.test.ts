import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTeam, seedTeam, TEST_DATABASE_URL, type TestTeam } from '@garrison/testkit';
import {
  createDb,
  createSecretBox,
  findMissionForGatewayToken,
  hashGatewayToken,
  issueGatewayToken,
  putCredential,
  recordModelCall,
  resolveCredential,
  revokeGatewayToken,
  createRepository,
  openRepositoryCredential,
  rotateCredentials,
  rotateRepositoryCredentials,
  usageForMission,
  usageForTeam,
  usageForWorkspace,
  type Db,
} from '../src/index.ts';

let db: Db;
let team: TestTeam;
let workspaceId: string;
beforeAll(async () => {
  db = createDb(TEST_DATABASE_URL, { poolSize: 8 });
  team = await seedTeam(db);
  workspaceId = (await db.prisma.workspace.create({ data: { teamId: team.teamId, name: 'gateway-repo' } })).id;
});
afterAll(async () => {
  await deleteTeam(db, team);
  await db.close();
});

async function newMission(limits: object = {}) {
  return db.prisma.mission.create({ data: { teamId: team.teamId, workspaceId, agent: 'codex', prompt: 'p', status: 'running', limits } });
}

describe('gateway tokens', () => {
  it('stores only the hash of a token, finds the mission by it and forgets it on revoke', async () => {
    const mission = await newMission({ maxTurns: 3, maxCostUsd: 1.5, maxRuntimeS: 60 });
    const token = await issueGatewayToken(db, mission.id);
    expect(token).toMatch(/^gwt_[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } });
    expect(row.gatewayTokenHash).toBe(hashGatewayToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    expect(await findMissionForGatewayToken(db, token)).toEqual({
      id: mission.id, teamId: team.teamId, workspaceId, status: 'running', limits: { maxTurns: 3, maxCostUsd: 1.5 }, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0,
    });
    expect(await findMissionForGatewayToken(db, `${token}x`)).toBeNull();
    // A new token replaces the old one.
    const second = await issueGatewayToken(db, mission.id);
    expect(await findMissionForGatewayToken(db, token)).toBeNull();
    await revokeGatewayToken(db, mission.id);
    expect(await findMissionForGatewayToken(db, second)).toBeNull();
  });
});

describe('model calls', () => {
  it('adds concurrent calls to the mission counters without losing one, and sums usage', async () => {
    const mission = await newMission();
    const call = (index: number) => ({
      missionId: mission.id, teamId: team.teamId, workspaceId, provider: 'openai', api: 'responses', model: 'gpt-5', httpStatus: 200,
      inputTokens: 100 + index, outputTokens: 10, cacheTokens: 5, costUsd: 0.001234, durationMs: 20, countsAsTurn: index % 5 !== 0,
    });
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => recordModelCall(db, call(index))));
    expect(results.every((counters) => counters !== null)).toBe(true);
    const row = await db.prisma.mission.findUniqueOrThrow({ where: { id: mission.id } });
    const input = Array.from({ length: 20 }, (_, index) => 100 + index).reduce((a, b) => a + b, 0);
    expect(row).toMatchObject({ modelCalls: 16, inputTokens: input, outputTokens: 200 });
    expect(Number(row.costUsd)).toBeCloseTo(0.02468, 6);
    expect(Math.max(...results.map((counters) => counters!.modelCalls))).toBe(16);

    const sum = await usageForMission(db, mission.id);
    expect(sum).toEqual({ calls: 20, inputTokens: input, outputTokens: 200, cacheTokens: 100, costUsd: 0.02468 });
    expect((await usageForWorkspace(db, workspaceId)).calls).toBeGreaterThanOrEqual(20);
    expect((await usageForTeam(db, team.teamId, new Date(Date.now() + 60_000))).calls).toBe(0);
    expect(await recordModelCall(db, { ...call(1), missionId: 'no-such-mission' }).catch(() => 'refused')).toBe('refused');
  });
});

describe('credential rotation', () => {
  it('reseals rows of the previous key with the current one, once, and skips rows no key opens', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('hex');
    await putCredential(db, createSecretBox({ key: oldKey }), { teamId: team.teamId, provider: 'anthropic', apiKey: 'sk-ant-rotate-me-1234' });
    const rotating = createSecretBox({ key: newKey, previousKey: oldKey });
    expect((await resolveCredential(db, rotating, team.teamId, 'anthropic'))?.apiKey).toBe('sk-ant-rotate-me-1234');
    await expect(resolveCredential(db, createSecretBox({ key: newKey }), team.teamId, 'anthropic')).rejects.toThrow(/GARRISON_SECRET_KEY_PREVIOUS/);

    const first = await rotateCredentials(db, rotating);
    expect(first.resealed).toBeGreaterThanOrEqual(1);
    const row = await db.prisma.providerCredential.findUniqueOrThrow({ where: { teamId_provider: { teamId: team.teamId, provider: 'anthropic' } } });
    expect(row.keyVersion).toBe(rotating.keyVersion);
    expect(await db.prisma.providerCredential.count({ where: { teamId: team.teamId, keyVersion: { not: rotating.keyVersion } } })).toBe(0);
    // The old key is not needed any more.
    expect((await resolveCredential(db, createSecretBox({ key: newKey }), team.teamId, 'anthropic'))?.apiKey).toBe('sk-ant-rotate-me-1234');

    // A key sealed with a third key (lost) is counted, not changed, and does not stop the others.
    await putCredential(db, createSecretBox({ key: randomBytes(32).toString('base64') }), { teamId: team.teamId, provider: 'openai', apiKey: 'sk-lost-key-5678' });
    const second = await rotateCredentials(db, rotating);
    expect(second.unreadable).toBeGreaterThanOrEqual(1);
    const lost = await db.prisma.providerCredential.findUniqueOrThrow({ where: { teamId_provider: { teamId: team.teamId, provider: 'openai' } } });
    expect(lost.keyVersion).not.toBe(rotating.keyVersion);
    expect((await db.prisma.providerCredential.findUniqueOrThrow({ where: { id: row.id } })).updatedAt).toEqual(row.updatedAt);
  });

  it('reseals repository credentials too, so a clone or push after rotation still authenticates', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const repo = await createRepository(db, createSecretBox({ key: oldKey }), {
      teamId: team.teamId, workspaceId, name: 'rotated', url: 'https://git.example/r.git', authKind: 'https_token', secret: 'ghp_rotate_me', publicKey: null, defaultBranch: 'main',
    });
    const rotating = createSecretBox({ key: newKey, previousKey: oldKey });
    const result = await rotateRepositoryCredentials(db, rotating);
    expect(result.resealed).toBeGreaterThanOrEqual(1);
    const after = await db.prisma.repository.findUniqueOrThrow({ where: { id: repo.id } });
    expect(after.keyVersion).toBe(rotating.keyVersion);
    // Without the previous key, the resealed token still opens.
    expect(JSON.stringify(openRepositoryCredential(createSecretBox({ key: newKey }), after))).toContain('ghp_rotate_me');
  });
});
