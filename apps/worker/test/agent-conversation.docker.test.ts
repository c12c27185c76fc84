import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName, type MissionEvent } from '@garrison/core';
import { MissionWatcher, openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { MCP_TOOL_CALLS, dispatch, execInWorkspace, execInWorkspaceAsRoot, missionEvents, timeline, waitForEnd, waitForStatus } from './agent-mission-kit.ts';

/**
 * The conversation around a mission, with the real Claude Code CLI: follow-ups that continue the
 * session, approvals, questions, budgets enforced at the gateway, and a provider key that never
 * leaves the control plane.
 */
const execFileAsync = promisify(execFile);
const PLANTED_KEY = `sk-ant-planted-${Date.now().toString(36)}-do-not-leak`;
const tool = (name: string) => MCP_TOOL_CALLS['claude-code'](name).name;

let fixture: StackFixture | undefined;
let client: ApiClient;
let model: ScriptedModelServer | undefined;
let workspaceId: string;
const watchers: MissionWatcher[] = [];

function watch(missionId: string): MissionWatcher {
  const watcher = new MissionWatcher(fixture!.stack.apiUrl, { cookie: client.sessionCookie ?? undefined }, missionId);
  watchers.push(watcher);
  return watcher;
}

/** Every request body the model saw, as text: what a session carried from turn to turn. */
function requestText(index: number): string {
  return JSON.stringify(model!.requests.filter((request) => request.path === '/v1/messages')[index]?.body ?? null);
}

function messagesRequests(): number {
  return model!.requests.filter((request) => request.path === '/v1/messages').length;
}

/**
 * Files on the volume and in the image, and every process's environment and command line. The
 * needle goes in as two halves joined only inside a pipe: no command line of the search itself
 * holds it whole.
 */
function searchWorkspace(needle: string): Promise<string> {
  const half = Math.floor(needle.length / 2);
  return execInWorkspaceAsRoot(
    workspaceId,
    `A='${needle.slice(0, half)}'; B='${needle.slice(half)}'; printf '%s%s\\n' "$A" "$B" | grep -rlsF -f /dev/stdin /workspace /home /tmp /etc /opt /proc/[0-9]*/environ /proc/[0-9]*/cmdline; true`,
  );
}

beforeAll(async () => {
  model = await startScriptedModelServer({ recordCredentialHashes: true });
  fixture = await openStackFixture();
  ({ client } = fixture);
  expect((await client.put('/api/v1/credentials/anthropic', { apiKey: PLANTED_KEY, baseUrl: model.url })).status).toBe(200);
  const template = await client.post('/api/v1/templates', { name: 'conversation-model-only', networkPolicy: 'model_only' });
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'conversation', templateId: template.body.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 90_000, what: 'workspace running' });
}, 180_000);

afterAll(async () => {
  for (const watcher of watchers) watcher.close();
  await fixture?.close();
  await model?.close();
});

describe('a Claude Code mission in conversation', () => {
  let firstMissionId: string;

  it('continues the same session with a follow-up after it completed', async () => {
    model!.script({ text: 'The capital of France is Paris.' });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'What is the capital of France?' });
    firstMissionId = id;
    watch(id);
    const first = await waitForEnd(client, id, postedAt);
    expect(first.status, timeline(first.events).join(' ')).toBe('completed');
    const before = messagesRequests();

    model!.script({ text: 'About 2.1 million people live there.' });
    const followUp = await client.post(`/api/v1/missions/${id}/messages`, { text: 'How many people live there?' });
    expect(followUp.status, JSON.stringify(followUp.body)).toBe(202);
    expect(followUp.body.delivery).toBe('reopened');
    const second = await waitForEnd(client, id, Date.now());
    expect(second.status, timeline(second.events).join(' ')).toBe('completed');
    // The same session: the follow-up's model request carries the first exchange.
    const followUpRequest = requestText(before);
    expect(followUpRequest).toContain('What is the capital of France?');
    expect(followUpRequest).toContain('The capital of France is Paris.');
    expect(followUpRequest).toContain('How many people live there?');
    const provided = second.events.find((event) => event.type === 'input.provided');
    expect(provided?.payload).toMatchObject({ kind: 'follow_up', text: 'How many people live there?', by: fixture!.team.email });
    const messages = second.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text);
    expect(messages).toEqual(['The capital of France is Paris.', 'About 2.1 million people live there.']);
    // Seq stays dense across both attempts.
    expect(second.events.map((event) => event.seq)).toEqual(second.events.map((_, index) => index + 1));
  }, 240_000);

  it('refuses a follow-up to the shell agent, which cannot resume', async () => {
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'shell', prompt: 'echo hi' });
    await waitForEnd(client, id, postedAt);
    const response = await client.post(`/api/v1/missions/${id}/messages`, { text: 'again' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('resume_unsupported');
  }, 120_000);

  it('waits for approval under policy ask: one change allowed, one denied', async () => {
    model!.script(
      { toolCalls: [{ name: tool('write_file'), input: { path: 'approved.txt', content: 'yes' } }] },
      { toolCalls: [{ name: tool('write_file'), input: { path: 'denied.txt', content: 'no' } }] },
      { text: 'One file written, one refused.' },
    );
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Write two files', policy: 'ask' });
    const approvals: string[] = [];
    for (const decision of ['allow', 'deny'] as const) {
      await waitForStatus(client, id, ['waiting_approval']);
      const pending = (await missionEvents(client, id)).filter((event) => event.type === 'approval.requested' && !approvals.includes(String(event.payload.approvalId)));
      expect(pending).toHaveLength(1);
      const approvalId = String(pending[0]!.payload.approvalId);
      approvals.push(approvalId);
      const body = decision === 'deny' ? { decision, message: 'not this one' } : { decision };
      const response = await client.post(`/api/v1/missions/${id}/approvals/${approvalId}`, body);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      // The same decision again until the API knows it was taken (never a conflicting one: two
      // decisions in flight are delivered in any order, and the first to reach the runner wins).
      const again = await waitFor(async () => {
        const answer = await client.post(`/api/v1/missions/${id}/approvals/${approvalId}`, body);
        return answer.status === 409 ? answer : null;
      }, { what: 'approval recorded' });
      expect(again.body.code).toBe('approval_already_resolved');
    }
    const mission = await waitForEnd(client, id, postedAt);
    expect(mission.status, timeline(mission.events).join(' ')).toBe('completed');
    const resolved = mission.events.filter((event) => event.type === 'approval.resolved').map((event) => event.payload);
    expect(resolved).toEqual([
      expect.objectContaining({ approvalId: approvals[0], decision: 'allow', by: fixture!.team.email }),
      expect.objectContaining({ approvalId: approvals[1], decision: 'deny', by: fixture!.team.email, message: 'not this one' }),
    ]);
    const statuses = mission.events.filter((event) => event.type === 'mission.status').map((event) => event.payload.status);
    expect(statuses).toEqual(['queued', 'provisioning', 'running', 'waiting_approval', 'running', 'waiting_approval', 'running', 'completed']);
    expect(await execInWorkspace(workspaceId, 'cat /workspace/approved.txt; test -e /workspace/denied.txt && echo present || echo absent')).toBe('yesabsent\n');
    expect((await client.post(`/api/v1/missions/${id}/approvals/nope`, { decision: 'allow' })).body.code).toBe('approval_not_found');
  }, 240_000);

  it('asks a person with ask_human and hands the answer back to the agent', async () => {
    model!.script({ toolCalls: [{ name: tool('ask_human'), input: { question: 'Which colour?', options: ['blue', 'red'] } }] }, { text: 'Blue it is.' });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Pick a colour with me' });
    await waitForStatus(client, id, ['waiting_input']);
    const question = (await missionEvents(client, id)).find((event) => event.type === 'input.requested');
    expect(question?.payload).toMatchObject({ question: 'Which colour?', options: ['blue', 'red'] });
    const before = messagesRequests();
    const answer = await client.post(`/api/v1/missions/${id}/messages`, { text: 'blue, please' });
    expect(answer.status).toBe(202);
    expect(answer.body.delivery).toBe('answer');
    const mission = await waitForEnd(client, id, postedAt);
    expect(mission.status, timeline(mission.events).join(' ')).toBe('completed');
    expect(requestText(before)).toContain('blue, please');
    const provided = mission.events.find((event) => event.type === 'input.provided');
    expect(provided?.payload).toMatchObject({ kind: 'answer', inputId: question!.payload.inputId, text: 'blue, please', by: fixture!.team.email });
  }, 240_000);

  it('stops at the turn budget at the gateway, which refuses the next model call', async () => {
    // One scripted turn only: the second model call must never reach the provider.
    model!.script({ toolCalls: [{ name: tool('list_dir'), input: { path: '.' } }] });
    const before = messagesRequests();
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Look around', limits: { maxTurns: 1 } });
    const mission = await waitForEnd(client, id, postedAt);
    expect(mission.status).toBe('failed');
    expect(mission.statusReason).toBe('budget_exceeded');
    expect(messagesRequests() - before).toBe(1);
    expect(model!.remaining()).toBe(0);
    const usage = (await client.get(`/api/v1/missions/${id}`)).body.usage as { modelCalls: number };
    expect(usage.modelCalls).toBe(1);
  }, 240_000);

  it('resumes the same session after its container was killed mid-turn, in a new attempt', async () => {
    // The model hangs; the container dies under the agent: an honest interruption, resumable.
    model!.script({ text: 'never delivered', delayMs: 60_000 });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Remember the word avocado.' });
    await waitFor(async () => (await fixture!.db.prisma.mission.findUnique({ where: { id } }))?.agentSessionId ?? null, { timeoutMs: 60_000, what: 'the agent session to be known' });
    await waitFor(() => model!.remaining() === 0, { what: 'the hanging model call' });
    // The session must be on the volume before the crash, or there is honestly nothing to resume.
    await waitFor(
      async () => (await execInWorkspace(workspaceId, `grep -rlsF avocado /workspace/.garrison/missions/${id}/agent/claude/projects || true`)).trim() !== '' || null,
      { timeoutMs: 30_000, what: 'the session transcript on the volume' },
    );
    await execFileAsync('docker', ['kill', workspaceContainerName(workspaceId)]);
    const interrupted = await waitForEnd(client, id, postedAt);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.statusReason).toBe('container_lost');
    expect((await client.get(`/api/v1/missions/${id}`)).body.resumable).toBe(true);

    model!.script({ text: 'The word was avocado.' });
    const resumedAt = messagesRequests();
    const resume = await client.post(`/api/v1/missions/${id}/resume`, {});
    expect(resume.status, JSON.stringify(resume.body)).toBe(202);
    const resumed = await waitForEnd(client, id, Date.now());
    expect(resumed.status, timeline(resumed.events).join(' ')).toBe('completed');
    // The same session: the resumed call carries the first prompt, and the attempt is the second.
    expect(requestText(resumedAt)).toContain('Remember the word avocado.');
    const attempts = await fixture!.db.prisma.missionAttempt.findMany({ where: { missionId: id }, orderBy: { number: 'asc' } });
    expect(attempts.map((attempt) => [attempt.number, attempt.reason])).toEqual([[1, 'container_lost'], [2, 'exit_code:0']]);
    const statuses = resumed.events.filter((event) => event.type === 'mission.status').map((event) => event.payload.status);
    expect(statuses).toEqual(['queued', 'provisioning', 'running', 'interrupted', 'queued', 'provisioning', 'running', 'completed']);
  }, 240_000);

  it('refuses the mission token at the gateway once the mission ended', async () => {
    const spec = JSON.parse(await execInWorkspace(workspaceId, `cat /workspace/.garrison/missions/${firstMissionId}/attempt-1/spec.json`)) as { gateway: { token: string } };
    const response = await fetch(`${fixture!.stack.gatewayUrl}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': spec.gateway.token, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
  });

  it('never lets the provider key reach Postgres, Redis, logs, socket frames or the workspace', async () => {
    // Postgres: every text a mission, event, audit entry or credential row holds.
    const rows = await fixture!.db.pool.query<{ hits: string }>(
      `SELECT (SELECT count(*) FROM "MissionEvent" WHERE payload::text LIKE $1)
            + (SELECT count(*) FROM "Mission" WHERE prompt LIKE $1 OR policy::text LIKE $1 OR limits::text LIKE $1)
            + (SELECT count(*) FROM "AuditLog" WHERE metadata::text LIKE $1)
            + (SELECT count(*) FROM "ProviderCredential" WHERE position(convert_to($2, 'UTF8') in ciphertext) > 0 OR "baseUrl" LIKE $1) AS hits`,
      [`%${PLANTED_KEY}%`, PLANTED_KEY],
    );
    expect(Number(rows.rows[0]!.hits)).toBe(0);
    // Redis: every key of this stack, dumped.
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${fixture!.stack.redisPrefix}:*`);
      for (const key of keys) {
        const dump = await redis.dumpBuffer(key);
        expect(dump?.includes(PLANTED_KEY) ?? false, key).toBe(false);
      }
    } finally {
      redis.disconnect();
    }
    // Logs of every control-plane process.
    for (const process of [fixture!.stack.api, fixture!.stack.worker, fixture!.stack.gateway]) expect(process.logs()).not.toContain(PLANTED_KEY);
    // Socket frames a dashboard received.
    const frames: MissionEvent[] = watchers.flatMap((watcher) => watcher.events);
    expect(frames.length).toBeGreaterThan(0);
    expect(JSON.stringify(frames)).not.toContain(PLANTED_KEY);
    // Inside the workspace.
    // The search is proven on a planted canary first, so an empty answer below means no leak.
    const canary = `canary-${Date.now().toString(36)}-value`;
    await execInWorkspace(workspaceId, `printf '%s' '${canary}' > /tmp/garrison-canary`);
    expect(await searchWorkspace(canary)).toContain('/tmp/garrison-canary');
    await execInWorkspace(workspaceId, 'rm /tmp/garrison-canary');
    const found = await searchWorkspace(PLANTED_KEY);
    expect(found).toBe('');
    // The provider did get it: the gateway swapped it in.
    const plantedHash = createHash('sha256').update(PLANTED_KEY).digest('hex');
    expect(model!.requests.some((request) => request.credentialSha256 === plantedHash)).toBe(true);
  });
});
