import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStackFixture, startScriptedModelServer, waitFor, type ApiClient, type ScriptedModelServer, type StackFixture } from '@garrison/testkit';
import { MCP_TOOL_CALLS, dispatch, execInWorkspace, execInWorkspaceAsRoot, timeline, waitForEnd } from './agent-mission-kit.ts';

/**
 * Review end to end through the real container (issue 9): a repository cloned from a bare remote
 * on the volume, missions on their own branches and worktrees, git's diff (text, binary, rename),
 * a review comment that reaches Claude Code and lands as a commit on the same branch, merges
 * (fast-forward, merge commit, conflict), a push to the bare remote, a discard, and a repository
 * token that never shows up anywhere it should not.
 */
const TOKEN = `ghp_planted${randomBytes(8).toString('hex')}donotleak`;
let fixture: StackFixture | undefined;
let client: ApiClient;
let model: ScriptedModelServer | undefined;
let workspaceId: string;
let repositoryId: string;
const REMOTE = '/workspace/remotes/origin.git';

const git = (script: string) => execInWorkspace(workspaceId, script).then((out) => out.trim());

interface Mission {
  id: string;
  status: string;
  branch: string;
  worktreePath: string;
  reviewStatus: string;
  filesChanged: Array<Record<string, unknown>>;
}

async function runShellMission(prompt: string, extra: Record<string, unknown> = {}): Promise<Mission> {
  const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'shell', prompt, repositoryId, ...extra });
  const ended = await waitForEnd(client, id, postedAt);
  expect(ended.status, `${ended.statusReason} ${timeline(ended.events).join(' ')}`).toBe('completed');
  return (await client.get(`/api/v1/missions/${id}`)).body as Mission;
}

beforeAll(async () => {
  model = await startScriptedModelServer();
  fixture = await openStackFixture();
  ({ client } = fixture);
  expect((await client.put('/api/v1/credentials/anthropic', { apiKey: 'sk-ant-review-test-key', baseUrl: model.url })).status).toBe(200);
  const template = await client.post('/api/v1/templates', { name: `review-${randomBytes(3).toString('hex')}`, networkPolicy: 'model_only' });
  workspaceId = (await client.post('/api/v1/workspaces', { name: 'review', templateId: template.body.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 90_000, what: 'workspace running' });
  // The "remote": a bare repository on the volume, seeded with three files.
  await git(`set -e
    git init -q --bare -b main ${REMOTE}
    mkdir -p /tmp/seed && cd /tmp/seed && git init -q -b main
    printf 'one\\ntwo\\nthree\\n' > README.md
    printf 'a file that will be renamed\\nwith two lines\\n' > old-name.txt
    printf 'base\\n' > shared.txt
    git add -A && git -c user.name=T -c user.email=t@t commit -q -m seed && git push -q ${REMOTE} main`);
  const created = await client.post(`/api/v1/workspaces/${workspaceId}/repositories`, { name: 'app', url: `file://${REMOTE}` });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  repositoryId = created.body.repository.id;
  const ready = await waitFor(async () => {
    const repo = (await client.get(`/api/v1/workspaces/${workspaceId}/repositories`)).body.repositories[0];
    return repo.status !== 'cloning' ? repo : null;
  }, { timeoutMs: 60_000, what: 'clone' });
  expect(ready).toMatchObject({ status: 'ready', defaultBranch: 'main', error: null });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
  await model?.close();
});

describe('review of missions in a repository', () => {
  let one: Mission;
  let two: Mission;

  it('runs two missions on separate branches and worktrees and records what git says changed', async () => {
    one = await runShellMission(`printf 'one\\nTWO\\nthree\\nfour\\n' > README.md && head -c 64 /dev/urandom > logo.bin && printf '\\000\\001' >> logo.bin && git mv old-name.txt new-name.txt && pwd > /tmp/one-cwd`);
    two = await runShellMission(`printf 'from two\\n' > shared.txt`);
    expect(one.branch).toBe(`garrison/${one.id.slice(-10)}`);
    expect(two.branch).not.toBe(one.branch);
    expect(one.worktreePath).toBe(`/workspace/.garrison/worktrees/${one.id.slice(-10)}`);
    expect(await git('cat /tmp/one-cwd')).toBe(one.worktreePath);
    expect(one.reviewStatus).toBe('ready_for_review');
    expect(one.filesChanged).toEqual([
      { path: 'README.md', status: 'modified', additions: 2, deletions: 1, binary: false },
      { path: 'logo.bin', status: 'added', additions: 0, deletions: 0, binary: true },
      { path: 'new-name.txt', oldPath: 'old-name.txt', status: 'renamed', additions: 0, deletions: 0, binary: false },
    ]);
    // Each branch holds only its own mission's work; the main checkout is untouched.
    expect(await git(`cd ${two.worktreePath} && git log -1 --format=%s && ls`)).toBe(`garrison: ${two.id}\nREADME.md\nold-name.txt\nshared.txt`);
    expect(await git('cd /workspace/repos/app && git status --porcelain && git rev-parse --abbrev-ref HEAD')).toBe('main');
    const files = await client.get(`/api/v1/missions/${one.id}/files`);
    expect(files.body).toMatchObject({ source: 'git', total: 3 });
  }, 240_000);

  it('serves the diff file by file, paged, with binary files marked and renames named', async () => {
    const first = await client.get(`/api/v1/missions/${one.id}/diff?limit=2`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ total: 3, nextCursor: '2' });
    expect(first.body.files[0].hunks[0].lines).toEqual([
      { kind: 'context', oldLine: 1, newLine: 1, text: 'one' },
      { kind: 'del', oldLine: 2, text: 'two' },
      { kind: 'add', newLine: 2, text: 'TWO' },
      { kind: 'context', oldLine: 3, newLine: 3, text: 'three' },
      { kind: 'add', newLine: 4, text: 'four' },
    ]);
    expect(first.body.files[1]).toMatchObject({ path: 'logo.bin', binary: true, hunks: [] });
    const second = await client.get(`/api/v1/missions/${one.id}/diff?limit=2&cursor=2`);
    expect(second.body).toMatchObject({ nextCursor: null, files: [{ path: 'new-name.txt', oldPath: 'old-name.txt', status: 'renamed' }] });
    const single = await client.get(`/api/v1/missions/${one.id}/diff?path=README.md`);
    expect(single.body.files.map((file: { path: string }) => file.path)).toEqual(['README.md']);
  });

  it('merges fast-forward and with a merge commit; a conflict is reported with its files and changes nothing', async () => {
    // Started from main before two lands there, and changing the same line.
    const three = await runShellMission(`printf 'from three\\n' > shared.txt`);
    const ff = await client.post(`/api/v1/missions/${two.id}/review/merge`, { mode: 'ff' });
    expect(ff.status, JSON.stringify(ff.body)).toBe(200);
    expect(ff.body).toMatchObject({ reviewStatus: 'merged', fastForward: true });
    expect(await git('cd /workspace/repos/app && git rev-parse HEAD')).toBe(ff.body.commit);

    const notFf = await client.post(`/api/v1/missions/${one.id}/review/merge`, { mode: 'ff' });
    expect([notFf.status, notFf.body.code]).toEqual([409, 'conflict']);

    const before = await git('cd /workspace/repos/app && git rev-parse HEAD');
    const conflict = await client.post(`/api/v1/missions/${three.id}/review/merge`, { mode: 'merge' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'merge_conflict', details: { files: ['shared.txt'] } });
    expect(await git('cd /workspace/repos/app && git rev-parse HEAD && git status --porcelain')).toBe(before);
    expect((await client.get(`/api/v1/missions/${three.id}`)).body.reviewStatus).toBe('ready_for_review');

    const merged = await client.post(`/api/v1/missions/${one.id}/review/merge`, { mode: 'merge' });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ reviewStatus: 'merged', fastForward: false });
    expect((await git('cd /workspace/repos/app && git log -1 --format=%P')).split(' ')).toHaveLength(2);
    expect(await git('cd /workspace/repos/app && ls')).toBe('README.md\nlogo.bin\nnew-name.txt\nshared.txt');

    // Discard cleans up: no worktree, no branch.
    const discarded = await client.post(`/api/v1/missions/${three.id}/review/discard`);
    expect(discarded.body).toEqual({ reviewStatus: 'discarded' });
    expect(await git(`test -e ${three.worktreePath} && echo present || echo gone`)).toBe('gone');
    expect(await git(`cd /workspace/repos/app && git branch --list '${three.branch}' && git worktree list | grep -c ${three.id.slice(-10)} || true`)).toBe('0');

    const audit = await fixture!.db.prisma.auditLog.findMany({ where: { teamId: fixture!.team.teamId, action: { startsWith: 'mission.review.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((row) => `${row.action}:${row.outcome}`)).toEqual([
      'mission.review.merge:ok',
      'mission.review.merge:failed',
      'mission.review.merge:failed',
      'mission.review.merge:ok',
      'mission.review.discard:ok',
    ]);
    expect(audit[2]!.metadata).toMatchObject({ code: 'merge_conflict' });
  }, 240_000);

  it('pushes the branch to the remote', async () => {
    const pushed = await client.post(`/api/v1/missions/${one.id}/review/push`, {});
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect(pushed.body).toMatchObject({ remote: 'origin', branch: one.branch });
    expect(Date.parse(pushed.body.pushedAt)).toBeGreaterThan(Date.now() - 60_000);
    const head = await git(`cd ${one.worktreePath} && git rev-parse HEAD`);
    expect(await git(`git --git-dir ${REMOTE} rev-parse refs/heads/${one.branch}`)).toBe(head);
  });

  it("sends review comments to Claude Code as a follow-up whose commit lands on the mission's branch", async () => {
    const write = MCP_TOOL_CALLS['claude-code']('write_file').name;
    model!.script({ toolCalls: [{ name: write, input: { path: 'notes.txt', content: 'first draft\nsecond line\n' } }] }, { text: 'Wrote notes.txt.' });
    const { id, postedAt } = await dispatch(client, { workspaceId, agent: 'claude-code', prompt: 'Write notes.txt', repositoryId });
    const first = await waitForEnd(client, id, postedAt);
    expect(first.status, `${first.statusReason} ${timeline(first.events).join(' ')}`).toBe('completed');
    const mission = (await client.get(`/api/v1/missions/${id}`)).body as Mission;
    expect(mission).toMatchObject({ reviewStatus: 'ready_for_review', filesChanged: [{ path: 'notes.txt', status: 'added', additions: 2 }] });
    const commitsBefore = Number(await git(`cd ${mission.worktreePath} && git rev-list --count HEAD`));

    model!.script({ toolCalls: [{ name: write, input: { path: 'notes.txt', content: 'final draft\nsecond line\n' } }] }, { text: 'Done.' });
    const sent = await client.post(`/api/v1/missions/${id}/messages`, { kind: 'review', comments: [{ path: 'notes.txt', line: 1, body: 'Call it the final draft.' }], message: 'Thanks!' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.delivery).toBe('reopened');
    const second = await waitForEnd(client, id, Date.now());
    expect(second.status, `${second.statusReason} ${timeline(second.events).join(' ')}`).toBe('completed');
    const provided = second.events.find((event) => event.type === 'input.provided');
    expect(String(provided?.payload.text)).toContain(`notes.txt:1\n> first draft\nCall it the final draft.`);
    const lastRequest = JSON.stringify(model!.requests.filter((request) => request.path === '/v1/messages').at(-1)?.body);
    expect(lastRequest).toContain('Call it the final draft.');
    // The next commit is on the same branch, in the same worktree.
    const after = await git(`cd ${mission.worktreePath} && git rev-parse --abbrev-ref HEAD && git rev-list --count HEAD && cat notes.txt`);
    expect(after).toBe(`${mission.branch}\n${commitsBefore + 1}\nfinal draft\nsecond line`);
    const diff = await client.get(`/api/v1/missions/${id}/diff`);
    expect(diff.body.files[0].hunks[0].lines[0]).toMatchObject({ kind: 'add', text: 'final draft' });
  }, 240_000);

  it('never lets a repository token reach Postgres, logs, events or the volume', async () => {
    const created = await client.post(`/api/v1/workspaces/${workspaceId}/repositories`, {
      name: 'private',
      url: 'https://git.invalid/org/private.git',
      auth: { kind: 'https_token', token: TOKEN },
    });
    expect(created.status).toBe(202);
    const failed = await waitFor(async () => {
      const repo = (await client.get(`/api/v1/workspaces/${workspaceId}/repositories`)).body.repositories.find((candidate: { name: string }) => candidate.name === 'private');
      return repo.status === 'failed' ? repo : null;
    }, { timeoutMs: 90_000, what: 'clone to fail' });
    expect(failed.error).toContain('git clone failed');
    expect(JSON.stringify(failed)).not.toContain(TOKEN);

    const rows = await fixture!.db.pool.query<{ hits: string }>(
      `SELECT (SELECT count(*) FROM "MissionEvent" WHERE payload::text LIKE $1)
            + (SELECT count(*) FROM "Mission" WHERE prompt LIKE $1 OR "filesChanged"::text LIKE $1)
            + (SELECT count(*) FROM "AuditLog" WHERE metadata::text LIKE $1)
            + (SELECT count(*) FROM "Repository" WHERE url LIKE $1 OR coalesce(error, '') LIKE $1 OR position(convert_to($2, 'UTF8') in coalesce(ciphertext, ''::bytea)) > 0) AS hits`,
      [`%${TOKEN}%`, TOKEN],
    );
    expect(Number(rows.rows[0]!.hits)).toBe(0);
    for (const process of [fixture!.stack.api, fixture!.stack.worker]) expect(process.logs()).not.toContain(TOKEN);
    const half = Math.floor(TOKEN.length / 2);
    const found = await execInWorkspaceAsRoot(
      workspaceId,
      `A='${TOKEN.slice(0, half)}'; B='${TOKEN.slice(half)}'; printf '%s%s\\n' "$A" "$B" | grep -rlsF -f /dev/stdin /workspace /home /tmp /etc /proc/[0-9]*/environ; true`,
    );
    expect(found).toBe('');
    expect(await git('cat /workspace/repos/app/.git/config')).not.toContain('extraHeader');
  }, 120_000);
});
