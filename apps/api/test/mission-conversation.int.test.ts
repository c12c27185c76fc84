import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, type MissionStatus } from '@garrison/core';
import { createQueuedMission, insertEventBatch } from '@garrison/db';
import { TEST_REDIS_URL, type ApiClient, type TestTeam } from '@garrison/testkit';
import { startApiFixture, type ApiFixture } from './api-fixture.ts';

/**
 * Follow-ups, answers and approval decisions through the API alone (no worker): what is refused,
 * with which code, and what is queued for the runner. Missions are written straight to the
 * database in the state each case needs.
 */
let fx: ApiFixture;
let controlQueue: Queue;
let client: ApiClient;
let team: TestTeam;
let workspaceId: string;

beforeAll(async () => {
  fx = await startApiFixture();
  controlQueue = new Queue(QueueName.MissionControl, { connection: { url: TEST_REDIS_URL }, prefix: fx.redisPrefix });
  ({ client, team } = await fx.signedIn());
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'conversation' })).body.id;
});

afterAll(async () => {
  await controlQueue?.obliterate({ force: true }).catch(() => {});
  await controlQueue?.close();
  await fx?.close();
});

async function missionIn(status: MissionStatus, agent = 'claude-code', extra: { agentSessionId?: string; resumable?: boolean; statusReason?: string } = {}): Promise<string> {
  const { mission } = await createQueuedMission(fx.api.db, { teamId: team.teamId, workspaceId, authorId: null, agent, prompt: 'do it' });
  await fx.api.db.prisma.mission.update({ where: { id: mission.id }, data: { status, ...extra } });
  // A mission past queued ran once: its first attempt exists.
  if (status !== 'queued') await fx.api.db.prisma.missionAttempt.create({ data: { missionId: mission.id, number: 1 } });
  return mission.id;
}

async function controlJobs(missionId: string) {
  return (await controlQueue.getJobs(['waiting', 'delayed', 'active'])).filter((job) => job.data.missionId === missionId).map((job) => job.data);
}

describe('POST /missions/:id/messages', () => {
  it('queues a follow-up for a working agent', async () => {
    const id = await missionIn('running');
    const response = await client.post(`/api/v1/missions/${id}/messages`, { text: 'also add tests' });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ delivery: 'follow_up', messageId: expect.stringMatching(/^msg-/) });
    expect(await controlJobs(id)).toEqual([expect.objectContaining({ action: 'message', text: 'also add tests', actor: team.email, messageId: response.body.messageId })]);
  });

  it('answers the question the agent waits on', async () => {
    const id = await missionIn('waiting_input');
    await insertEventBatch(fx.api.db, id, [{ seq: 2, ts: new Date().toISOString(), type: 'input.requested', payload: { inputId: 'q-1', question: 'Which?' } }]);
    const response = await client.post(`/api/v1/missions/${id}/messages`, { text: 'the second' });
    expect(response.body.delivery).toBe('answer');
    expect(await controlJobs(id)).toEqual([expect.objectContaining({ action: 'message', inputId: 'q-1', text: 'the second' })]);
  });

  it('reopens a completed mission as a new attempt that resumes its session, in one transaction', async () => {
    const id = await missionIn('completed', 'claude-code', { agentSessionId: 'session-1' });
    const response = await client.post(`/api/v1/missions/${id}/messages`, { text: 'one more thing' });
    expect(response.status).toBe(202);
    expect(response.body.delivery).toBe('reopened');
    const mission = (await client.get(`/api/v1/missions/${id}`)).body;
    expect(mission).toMatchObject({ status: 'queued', statusReason: 'follow_up', endedAt: null });
    const events = (await client.get(`/api/v1/missions/${id}/events`)).body.events as { seq: number; type: string; payload: Record<string, unknown> }[];
    expect(events.map((event) => [event.seq, event.type])).toEqual([[1, 'mission.status'], [2, 'input.provided'], [3, 'mission.status']]);
    expect(events[1]!.payload).toMatchObject({ kind: 'follow_up', text: 'one more thing', by: team.email });
    // The second attempt's job: a job id of its own, so the first attempt's cannot swallow it.
    expect(await fx.missionsQueue.getJob(`${id}-a2`)).toBeDefined();
  });

  it.each([
    ['the shell agent, which cannot resume', 'queued', 'shell', {}, 409, 'resume_unsupported'],
    ['a completed mission whose agent left no session', 'completed', 'claude-code', {}, 409, 'resume_unsupported'],
    ['a failed mission', 'failed', 'claude-code', { agentSessionId: 's' }, 409, 'mission_finished'],
    ['a canceled mission', 'canceled', 'codex', { agentSessionId: 's' }, 409, 'mission_finished'],
  ] as const)('refuses a message to %s and queues nothing', async (_name, status, agent, extra, code, errorCode) => {
    const id = await missionIn(status, agent, extra);
    const before = (await client.get(`/api/v1/missions/${id}`)).body;
    const response = await client.post(`/api/v1/missions/${id}/messages`, { text: 'hello?' });
    expect(response.status).toBe(code);
    expect(response.body.code).toBe(errorCode);
    expect(response.body.message).toMatch(/mission/i);
    expect(await controlJobs(id)).toEqual([]);
    expect((await client.get(`/api/v1/missions/${id}`)).body).toEqual(before);
  });

  it('refuses an empty text and an unknown mission', async () => {
    const id = await missionIn('running');
    expect((await client.post(`/api/v1/missions/${id}/messages`, { text: '  ' })).body.code).toBe('invalid_input');
    expect((await client.post('/api/v1/missions/nope/messages', { text: 'hi' })).body.code).toBe('mission_not_found');
  });

  it("never reaches another team's mission", async () => {
    const id = await missionIn('running');
    const other = await fx.signedIn();
    const response = await other.client.post(`/api/v1/missions/${id}/messages`, { text: 'hi' });
    expect(response.status).toBe(404);
    expect(await controlJobs(id)).toEqual([]);
  });
});

describe('POST /missions/:id/approvals/:approvalId', () => {
  it('queues the decision for a pending approval, and refuses unknown, decided and malformed ones', async () => {
    const id = await missionIn('waiting_approval');
    const ts = new Date().toISOString();
    await insertEventBatch(fx.api.db, id, [
      { seq: 2, ts, type: 'approval.requested', payload: { approvalId: 'ap-1', tool: 'Bash', input: { command: 'rm -rf build' }, summary: 'rm -rf build' } },
      { seq: 3, ts, type: 'approval.requested', payload: { approvalId: 'ap-0', tool: 'Bash', input: {}, summary: 'ls' } },
      { seq: 4, ts, type: 'approval.resolved', payload: { approvalId: 'ap-0', decision: 'allow', by: 'someone' } },
    ]);
    const response = await client.post(`/api/v1/missions/${id}/approvals/ap-1`, { decision: 'deny', message: 'keep the build' });
    expect(response.status).toBe(202);
    expect(await controlJobs(id)).toEqual([expect.objectContaining({ action: 'approval', approvalId: 'ap-1', decision: 'deny', message: 'keep the build', actor: team.email })]);
    expect((await client.post(`/api/v1/missions/${id}/approvals/ap-0`, { decision: 'allow' })).body.code).toBe('approval_already_resolved');
    expect((await client.post(`/api/v1/missions/${id}/approvals/ap-9`, { decision: 'allow' })).body.code).toBe('approval_not_found');
    expect((await client.post(`/api/v1/missions/${id}/approvals/ap-1`, { decision: 'maybe' })).body.code).toBe('invalid_input');
  });
});

describe('POST /missions/:id/resume', () => {
  it('continues an interrupted mission in a new attempt of the same session', async () => {
    const id = await missionIn('interrupted', 'codex', { agentSessionId: 'thread-7', resumable: true, statusReason: 'container_lost' });
    const response = await client.post(`/api/v1/missions/${id}/resume`, {});
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body).toEqual({ attempt: 2, status: 'queued' });
    const mission = (await client.get(`/api/v1/missions/${id}`)).body;
    expect(mission).toMatchObject({ status: 'queued', statusReason: 'resume', resumable: false });
    const events = (await client.get(`/api/v1/missions/${id}/events`)).body.events as { type: string; payload: Record<string, unknown> }[];
    expect(events.at(-2)).toMatchObject({ type: 'input.provided', payload: { kind: 'follow_up', by: team.email } });
    expect(String(events.at(-2)!.payload.text)).toContain('container_lost');
    expect(await fx.missionsQueue.getJob(`${id}-a2`)).toBeDefined();
    // Once is enough: it is queued now.
    expect((await client.post(`/api/v1/missions/${id}/resume`, {})).body.code).toBe('not_resumable');
  });

  it.each([
    ['a mission whose agent never reported a session', 'interrupted', 'claude-code', { statusReason: 'container_lost' }, 'not_resumable'],
    ['a completed mission (it takes follow-ups)', 'completed', 'claude-code', { agentSessionId: 's', resumable: true }, 'not_resumable'],
    ['a running mission', 'running', 'claude-code', { agentSessionId: 's' }, 'not_resumable'],
    ['the shell agent', 'interrupted', 'shell', {}, 'resume_unsupported'],
  ] as const)('refuses to resume %s', async (_name, status, agent, extra, code) => {
    const id = await missionIn(status, agent, extra);
    const response = await client.post(`/api/v1/missions/${id}/resume`, {});
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(code);
    expect((await client.get(`/api/v1/missions/${id}`)).body.status).toBe(status);
  });
});
