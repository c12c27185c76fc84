import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { terminalSessionsKey, tmuxSessionName, workspaceContainerName } from '@garrison/core';
import {
  ApiClient,
  TEST_REDIS_URL,
  TerminalClient,
  deleteTeam,
  openStackFixture,
  seedTeam,
  waitFor,
  type StackFixture,
} from '@garrison/testkit';
import { Redis } from 'ioredis';

/**
 * The web terminal end to end through a real Socket.IO client: api -> Redis -> worker -> a
 * `docker exec` TTY running tmux as uid 1000 in the workspace container.
 */
const IDLE_MS = 4000;
const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let url: string;
let cookie: string;
let workspaceId: string;
let redis: Redis;
const clients: TerminalClient[] = [];

function newClient(auth = { cookie }): TerminalClient {
  const client = new TerminalClient(url, auth);
  clients.push(client);
  return client;
}

async function tmuxHasSession(sessionId: string): Promise<boolean> {
  return execFileAsync('docker', ['exec', '-u', '1000:1000', workspaceContainerName(workspaceId), 'tmux', 'has-session', '-t', `=${tmuxSessionName(sessionId)}`]).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  fixture = await openStackFixture({ env: { TERMINAL_IDLE_MS: String(IDLE_MS) } });
  url = fixture.stack.apiUrl;
  cookie = fixture.client.sessionCookie!;
  redis = new Redis(TEST_REDIS_URL);
  workspaceId = (await fixture.client.post('/api/v1/workspaces', { name: `term-${randomBytes(3).toString('hex')}` })).body.id;
  await waitFor(async () => (await fixture!.client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 60_000, what: 'running' });
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  redis?.disconnect();
  await fixture?.close();
});

describe('web terminal', () => {
  it('runs a shell as uid 1000, resizes, and keeps it (with its output) across a disconnect', async () => {
    const first = newClient();
    const ack = await first.open(workspaceId, { cols: 100, rows: 30 });
    expect(ack).toMatchObject({ ok: true, reattached: false });
    if (!ack.ok) return;
    const sessionId = ack.sessionId;

    first.type('echo $((6*7))\r');
    await first.waitForText(/^42\r?$/m);
    first.type('id -u\r');
    await first.waitForText(/^1000\r?$/m);
    first.type('pwd\r');
    await first.waitForText(/^\/workspace\r?$/m);

    first.resize(132, 40);
    first.type('stty size\r');
    await first.waitForText(/^40 132\r?$/m);

    // Keystroke echo: one character in, the same character back through tmux.
    const samples: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const before = first.output.length;
      const started = performance.now();
      first.type('x');
      await waitFor(() => first.output.length > before && first.output.slice(before).includes('x'), { timeoutMs: 5000, intervalMs: 1 });
      samples.push(performance.now() - started);
    }
    first.type('\u0015'); // ^U clears the typed x's
    samples.sort((a, b) => a - b);
    console.info(JSON.stringify({ keystrokeEchoMedianMs: Math.round(samples[10]! * 10) / 10, keystrokeEchoP95Ms: Math.round(samples[18]! * 10) / 10 }));
    expect(samples[10]).toBeLessThan(250);

    // More lines than the pane has rows: the first ones live only in tmux's history.
    first.type('for i in $(seq 1 80); do echo hist-$i; done; echo marker-$((1000+337))\r');
    await first.waitForText(/^marker-1337\r?$/m);
    first.disconnect();
    // The shell outlives the attach.
    await waitFor(async () => (await tmuxHasSession(sessionId)) && !(await redis.zscore(`${fixture!.stack.redisPrefix}:terminal-leases`, sessionId).then((score) => Number(score) > Date.now() + 30_000)), {
      what: 'the session detached but alive',
    });

    const second = newClient();
    const again = await second.open(workspaceId, { sessionId, cols: 100, rows: 30 });
    expect(again).toEqual({ ok: true, sessionId, reattached: true });
    // The reattach redraw brings the earlier output back to a fresh terminal.
    await second.waitForText(/marker-1337/);
    await second.waitForText(/^hist-1\r?$/m);
    await second.waitForText(/^hist-80\r?$/m);
    expect(second.text.indexOf('hist-1\r')).toBeLessThan(second.text.indexOf('hist-80'));
    second.type('echo still-$((2+2))\r');
    await second.waitForText(/^still-4\r?$/m);

    const audit = await fixture!.db.prisma.auditLog.findMany({ where: { targetId: workspaceId, action: 'terminal.open' } });
    expect(audit.map((row) => (row.metadata as { reattached: boolean }).reattached)).toEqual([false, true]);

    second.closeSession();
    await waitFor(() => second.exits.find((exit) => exit.reason === 'closed'), { what: 'the closed exit' });
    await waitFor(async () => !(await tmuxHasSession(sessionId)), { what: 'the tmux session gone' });
    expect(await redis.hget(terminalSessionsKey(fixture!.stack.redisPrefix), sessionId)).toBeNull();
  });

  it('hands a session to the tab that opened it last', async () => {
    const tabA = newClient();
    const ack = await tabA.open(workspaceId);
    if (!ack.ok) throw new Error(ack.message);
    const tabB = newClient();
    expect(await tabB.open(workspaceId, { sessionId: ack.sessionId })).toMatchObject({ ok: true, reattached: true });
    await waitFor(() => tabA.exits.find((exit) => exit.reason === 'detached'), { what: 'tab A told it was detached' });
    tabA.type('echo from-a\r');
    tabB.type('echo from-b\r');
    await tabB.waitForText(/^from-b\r?$/m);
    expect(tabB.text).not.toMatch(/^from-a/m);
    tabB.closeSession();
  });

  it('ends the shell of a session nobody attached to for the idle time', async () => {
    const client = newClient();
    const ack = await client.open(workspaceId);
    if (!ack.ok) throw new Error(ack.message);
    client.type('echo idle-test\r');
    await client.waitForText(/^idle-test\r?$/m);
    client.disconnect();
    await waitFor(async () => !(await tmuxHasSession(ack.sessionId)), { timeoutMs: IDLE_MS * 5, what: 'the idle session ended' });
    const fresh = newClient();
    // Its id now opens a new shell.
    expect(await fresh.open(workspaceId, { sessionId: ack.sessionId })).toMatchObject({ ok: true, reattached: false });
    fresh.closeSession();
  });

  it("refuses another team's workspace and a stopped one, and never attaches a stranger to a session", async () => {
    const owner = newClient();
    const ack = await owner.open(workspaceId);
    if (!ack.ok) throw new Error(ack.message);

    const strangerTeam = await seedTeam(fixture!.db);
    onTestFinished(() => deleteTeam(fixture!.db, strangerTeam));
    const stranger = new ApiClient(url);
    await stranger.login(strangerTeam.email, strangerTeam.password);
    const intruder = newClient({ cookie: stranger.sessionCookie! });
    expect(await intruder.open(workspaceId, { sessionId: ack.sessionId })).toMatchObject({ ok: false, code: 'workspace_not_found' });
    intruder.type('echo pwned\r');
    owner.type('echo owner-ok\r');
    await owner.waitForText(/^owner-ok\r?$/m);
    expect(owner.text).not.toContain('pwned');
    owner.closeSession();

    const stoppedId = (await fixture!.client.post('/api/v1/workspaces', { name: `term-stopped-${randomBytes(3).toString('hex')}` })).body.id;
    await waitFor(async () => (await fixture!.client.get(`/api/v1/workspaces/${stoppedId}`)).body.status === 'running', { timeoutMs: 60_000, what: 'running' });
    await fixture!.client.post(`/api/v1/workspaces/${stoppedId}/stop`);
    await waitFor(async () => (await fixture!.client.get(`/api/v1/workspaces/${stoppedId}`)).body.status === 'stopped', { timeoutMs: 60_000, what: 'stopped' });
    const refused = await newClient().open(stoppedId);
    expect(refused).toMatchObject({ ok: false, code: 'invalid_workspace_state' });
    expect(refused.ok ? '' : refused.message).toMatch(/start it/);
  });
});
