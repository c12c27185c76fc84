import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecStdioTransport, removeTeamWorkspaces, waitFor } from '@garrison/testkit';
import { DockerRuntime } from '../../worker/src/runtime/docker-runtime.ts';

const runtime = new DockerRuntime();
const teamId = `mcp-test-${randomBytes(4).toString('hex')}`;
let client: Client;
let containerId: string;
let initializeMs = 0;

type TextResult = { content: { type: string; text: string }[]; isError?: boolean };

async function call(name: string, args: Record<string, unknown>): Promise<TextResult> {
  return (await client.callTool({ name, arguments: args })) as TextResult;
}

async function text(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(name, args);
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  return result.content[0]!.text;
}

/** Sets up fixtures with the bash tool, as the agent user, failing loudly if a step fails. */
async function sh(command: string): Promise<void> {
  await text('bash', { command: `set -e\n${command}` });
}

const escapes = [
  ['a parent path', '..'],
  ['an absolute path', '/etc'],
  ['a symlink pointing out', 'search/link-out'],
] as const;

beforeAll(async () => {
  const container = await runtime.ensureWorkspaceContainer({
    workspaceId: teamId,
    teamId,
    installation: teamId,
    networkPolicy: 'none',
    image: process.env.GARRISON_WORKSPACE_IMAGE ?? 'garrison/workspace:dev',
    memoryBytes: 512 * 1024 * 1024,
    nanoCpus: 1e9,
    pidsLimit: 256,
  });
  containerId = container.id;
  const started = performance.now();
  const exec = await runtime.execStream(container.id, ['node', '/opt/garrison/workspace-mcp.cjs']);
  client = new Client({ name: 'garrison-test', version: '1.0.0' });
  await client.connect(new ExecStdioTransport(exec));
  initializeMs = performance.now() - started;
});

afterAll(async () => {
  await client?.close();
  await removeTeamWorkspaces(teamId);
});

describe('workspace MCP over docker exec', () => {
  it('initializes and lists its tools', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual([
      'approval_prompt', 'ask_human', 'bash', 'complete_mission', 'edit_file', 'git_diff', 'git_status', 'glob', 'grep', 'list_dir', 'read_file', 'write_file',
    ]);
    console.log(JSON.stringify({ mcp_initialize_ms: Math.round(initializeMs) }));
  });

  it('writes, edits and reads a file on the volume as uid 1000', async () => {
    expect((await call('write_file', { path: 'notes/a.txt', content: 'one\ntwo\nthree\n' })).isError).toBeFalsy();
    expect((await call('edit_file', { path: 'notes/a.txt', oldText: 'two', newText: 'TWO' })).isError).toBeFalsy();
    const read = await call('read_file', { path: 'notes/a.txt', offset: 2, limit: 1 });
    expect(read.content[0]!.text).toBe('     2\tTWO\n[2 more lines; use offset]');
    const owner = await call('bash', { command: 'stat -c %u notes/a.txt && pwd' });
    expect(owner.content[0]!.text).toContain('1000\n/workspace');
  });

  it('reports a non-zero exit and a timeout as error results, not crashes', async () => {
    const failed = await call('bash', { command: 'echo out; echo err >&2; exit 4' });
    expect(failed.isError).toBe(true);
    expect(failed.content[0]!.text).toBe('exit: 4\nstdout:\nout\n\nstderr:\nerr\n');
    const slow = await call('bash', { command: 'sleep 30', timeoutSeconds: 1 });
    expect(slow.isError).toBe(true);
    expect(slow.content[0]!.text).toMatch(/timed out after 1s/);
  });

  it('caps huge output with a marker', async () => {
    const big = await call('bash', { command: 'head -c 200000 /dev/zero | tr "\\0" y' });
    expect(big.content[0]!.text).toMatch(/\[truncated: \d+ more characters not shown\]/);
    expect(big.content[0]!.text.length).toBeLessThan(70_000);
  });

  it.each([
    ['a parent path', { path: '../etc/passwd' }],
    ['an absolute path', { path: '/etc/passwd' }],
    ['a symlink pointing out', { path: 'out/passwd' }],
  ])('refuses %s', async (_name, args) => {
    await call('bash', { command: 'ln -sfn /etc out' });
    const result = await call('read_file', args);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/outside the workspace/);
  });

  it('refuses to write through a symlink that points out', async () => {
    await call('bash', { command: 'ln -sfn /tmp tmp-link' });
    const result = await call('write_file', { path: 'tmp-link/x', content: 'no' });
    expect(result.isError).toBe(true);
  });

  it('explains an edit whose text matches zero or many times', async () => {
    await call('write_file', { path: 'dup.txt', content: 'a a' });
    expect((await call('edit_file', { path: 'dup.txt', oldText: 'zzz', newText: 'b' })).content[0]!.text).toMatch(/does not occur[\s\S]*Hint/);
    expect((await call('edit_file', { path: 'dup.txt', oldText: 'a', newText: 'b' })).content[0]!.text).toMatch(/more than once/);
  });
});

describe('glob and grep', () => {
  beforeAll(async () => {
    await sh(`
      rm -rf search && mkdir -p search/src/deep search/node_modules/pkg search/.git search/many
      cd search
      printf 'export const needle = 1;\nconst other = 2;\n' > src/a.ts
      printf 'const Needle = "js";\n' > src/b.js
      printf '// no match here\n' > src/deep/c.ts
      printf 'needle hidden\n' > .hidden.ts
      printf 'needle in a dependency\n' > node_modules/pkg/index.ts
      printf 'needle in git\n' > .git/x.ts
      printf 'flag text --pre=sh here\n' > flags.txt
      for i in $(seq -w 1 1200); do echo "line $i" > many/f$i.txt; done
      ln -s /etc link-out
      ln -s /etc/passwd passwd-link
    `);
  });

  it('globs files sorted, skipping .git and node_modules', async () => {
    expect(await text('glob', { pattern: '**/*.ts', path: 'search' })).toBe('search/.hidden.ts\nsearch/src/a.ts\nsearch/src/deep/c.ts');
    expect(await text('glob', { pattern: 'src/*.{js,ts}', path: 'search' })).toBe('search/src/a.ts\nsearch/src/b.js');
  });

  it('globs into node_modules when the pattern names it', async () => {
    expect(await text('glob', { pattern: 'node_modules/**/*.ts', path: 'search' })).toBe('search/node_modules/pkg/index.ts');
  });

  it('reports no glob matches as a normal result', async () => {
    expect(await text('glob', { pattern: '**/*.rs', path: 'search' })).toBe('(no files match)');
  });

  it('caps glob results with a marker', async () => {
    const lines = (await text('glob', { pattern: '*.txt', path: 'search/many' })).split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[0]).toBe('search/many/f0001.txt');
    expect(lines[1000]).toMatch(/^\[200 more matches not shown/);
  });

  it('lists a symlink by name but never walks through it', async () => {
    expect(await text('glob', { pattern: '**/passwd*', path: 'search' })).toBe('search/passwd-link');
    expect(await text('glob', { pattern: '**/hostname', path: 'search' })).toBe('(no files match)');
  });

  it('greps with path:line:text, skipping .git and node_modules', async () => {
    expect(await text('grep', { pattern: 'needle', path: 'search' })).toBe('search/.hidden.ts:1:needle hidden\nsearch/src/a.ts:1:export const needle = 1;');
    expect(await text('grep', { pattern: 'needle', path: 'search', glob: '*.js', ignoreCase: true })).toBe('search/src/b.js:1:const Needle = "js";');
    expect(await text('grep', { pattern: 'needle', path: 'search/node_modules' })).toBe('search/node_modules/pkg/index.ts:1:needle in a dependency');
  });

  it('greps the workspace root by default with root-relative paths', async () => {
    expect(await text('grep', { pattern: 'export const needle' })).toBe('search/src/a.ts:1:export const needle = 1;');
  });

  it('reports no grep matches as a normal result, and does not follow symlinks', async () => {
    expect(await text('grep', { pattern: 'zzz-not-there', path: 'search' })).toBe('(no matches)');
    expect(await text('grep', { pattern: '^root:', path: 'search' })).toBe('(no matches)');
  });

  it('caps grep results with a marker', async () => {
    const lines = (await text('grep', { pattern: '^line', path: 'search/many', maxResults: 50 })).split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('search/many/f0001.txt:1:line 0001');
    expect(lines[50]).toMatch(/^\[1150 more matches not shown/);
  });

  it('treats a pattern that looks like a flag as a pattern', async () => {
    expect(await text('grep', { pattern: '--pre=sh', path: 'search' })).toBe('search/flags.txt:1:flag text --pre=sh here');
    expect(await text('grep', { pattern: '--files', path: 'search' })).toBe('(no matches)');
  });

  it('returns a bad regex as an error result with rg\'s message', async () => {
    const result = await call('grep', { pattern: 'needle(', path: 'search' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/rg failed \(exit 2\)[\s\S]*regex parse error[\s\S]*Hint:/);
  });

  it.each(escapes)('refuses %s for glob and grep', async (_name, path) => {
    for (const result of [await call('glob', { pattern: '*', path }), await call('grep', { pattern: 'root', path })]) {
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/outside the workspace[\s\S]*Hint:/);
    }
  });

  it('refuses a grep path that is a symlink to a file outside', async () => {
    const result = await call('grep', { pattern: 'root', path: 'search/passwd-link' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/outside the workspace/);
  });
});

describe('git_status and git_diff', () => {
  beforeAll(async () => {
    await sh(`
      rm -rf repo big-repo plain && mkdir -p repo plain && cd repo
      git init -q -b main && git config user.email t@example.com && git config user.name Test
      printf 'one\n' > tracked.txt && git add tracked.txt && git commit -qm first
      printf 'one\ntwo\n' > tracked.txt
      printf 'staged\n' > staged.txt && git add staged.txt
      printf 'new\n' > new.txt
      cd .. && mkdir big-repo && cd big-repo
      git init -q -b main && git config user.email t@example.com && git config user.name Test
      seq 1 20000 > big.txt && git add big.txt && git commit -qm big && sed -i 's/$/x/' big.txt
    `);
  });

  it('reports branch, modified, staged and untracked files', async () => {
    const expected = 'repo: repo\n## main\nA  staged.txt\n M tracked.txt\n?? new.txt';
    expect(await text('git_status', { path: 'repo' })).toBe(expected);
    expect(await text('git_status', { path: 'repo/tracked.txt' })).toBe(expected);
  });

  it('says a folder outside any repository is not one, with a hint', async () => {
    for (const path of ['plain', undefined]) {
      const result = await call('git_status', path ? { path } : {});
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/not inside a git repository[\s\S]*Hint: Run `git init`/);
    }
    expect((await call('git_diff', { path: 'plain' })).content[0]!.text).toMatch(/not inside a git repository/);
  });

  it('diffs the work tree with the stat summary first', async () => {
    const diff = await text('git_diff', { path: 'repo' });
    expect(diff).toMatch(/^ tracked.txt \| 1 \+\n 1 file changed, 1 insertion\(\+\)\n/);
    expect(diff).toContain('diff --git a/tracked.txt b/tracked.txt');
    expect(diff).toContain('\n+two\n');
    expect(diff).not.toContain('staged.txt');
  });

  it('diffs the index, a ref, and one path', async () => {
    const staged = await text('git_diff', { path: 'repo', staged: true });
    expect(staged).toContain('diff --git a/staged.txt b/staged.txt');
    expect(staged).not.toContain('tracked.txt');
    const againstHead = await text('git_diff', { path: 'repo', ref: 'HEAD' });
    expect(againstHead).toContain('diff --git a/staged.txt b/staged.txt');
    expect(againstHead).toContain('diff --git a/tracked.txt b/tracked.txt');
    const onePath = await text('git_diff', { path: 'repo/staged.txt', ref: 'HEAD' });
    expect(onePath).toContain('staged.txt');
    expect(onePath).not.toContain('tracked.txt');
  });

  it('says when there is nothing to diff', async () => {
    expect(await text('git_diff', { path: 'repo/new.txt' })).toMatch(/^\(no changes; untracked files are not diffed/);
  });

  it('refuses a ref that is an option, and reports an unknown ref', async () => {
    const injected = await call('git_diff', { path: 'repo', ref: '--output=/tmp/x' });
    expect(injected.isError).toBe(true);
    expect(injected.content[0]!.text).toMatch(/starts with "-"[\s\S]*Hint:/);
    expect(await text('bash', { command: 'test -e /tmp/x && echo exists || echo absent' })).toContain('absent');
    const unknown = await call('git_diff', { path: 'repo', ref: 'no-such-branch' });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toMatch(/bad revision 'no-such-branch'[\s\S]*Hint:/);
  });

  it('caps a huge diff with a marker, keeping the stat', async () => {
    const diff = await text('git_diff', { path: 'big-repo' });
    expect(diff).toMatch(/^ big.txt \| 40000 \+\+\+/);
    expect(diff).toMatch(/\[truncated: \d+ more characters not shown\]$/);
    expect(diff.length).toBeLessThan(70_000);
  });

  it.each(escapes)('refuses %s for git_status and git_diff', async (_name, path) => {
    await sh('mkdir -p search && ln -sfn /etc search/link-out');
    for (const result of [await call('git_status', { path }), await call('git_diff', { path })]) {
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/outside the workspace[\s\S]*Hint:/);
    }
  });
});

describe('mission tools in the container (GARRISON_MISSION_DIR, policy ask)', () => {
  const missionDir = `/workspace/.garrison/missions/h-mcp-${randomBytes(4).toString('hex')}`;
  let mission: Client;

  beforeAll(async () => {
    const exec = await runtime.execStream(containerId, ['node', '/opt/garrison/workspace-mcp.cjs'], {
      env: { GARRISON_MISSION_DIR: missionDir, GARRISON_POLICY: 'ask' },
    });
    mission = new Client({ name: 'garrison-test-mission', version: '1.0.0' });
    await mission.connect(new ExecStdioTransport(exec));
  });

  afterAll(async () => {
    await mission?.close();
  });

  const inContainer = async (script: string, ...args: string[]): Promise<string> => {
    const result = await runtime.execCollect(containerId, ['sh', '-c', script, 'sh', ...args]);
    if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}: ${result.stderr}`);
    return result.stdout;
  };

  it('holds a gated write until the answer file appears on the volume, then writes', async () => {
    const pending = mission.callTool({ name: 'write_file', arguments: { path: 'gated/a.txt', content: 'approved' } }) as Promise<TextResult>;
    const request = await waitFor(
      async () => JSON.parse(await inContainer(`cat "$1"/requests/*.json`, missionDir)) as { id: string; summary: string },
      { timeoutMs: 15_000, intervalMs: 100, what: 'the approval request in the container' },
    );
    expect(request.summary).toBe('write gated/a.txt (8 bytes)');
    expect(await inContainer('test -e gated/a.txt && echo present || echo absent')).toBe('absent\n');
    const answer = JSON.stringify({ id: request.id, kind: 'approval', decision: 'allow', by: 'alice', ts: new Date().toISOString() });
    await inContainer('mkdir -p "$1/responses" && printf %s "$3" > "$1/responses/.$2.tmp" && mv "$1/responses/.$2.tmp" "$1/responses/$2.json"', missionDir, request.id, answer);
    const answered = performance.now();
    expect((await pending).isError).toBeFalsy();
    console.log(JSON.stringify({ mcp_answer_to_result_ms: Math.round(performance.now() - answered) }));
    expect(await inContainer('cat gated/a.txt')).toBe('approved');
  });

  it('writes outcome.json for the runner', async () => {
    const result = (await mission.callTool({ name: 'complete_mission', arguments: { status: 'not_feasible', summary: 'No network.' } })) as TextResult;
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(await inContainer('cat "$1/outcome.json"', missionDir))).toMatchObject({ status: 'not_feasible', summary: 'No network.' });
  });

  it('answers ask_human outside a mission with an error and a hint', async () => {
    const result = await call('ask_human', { question: 'anyone?' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/only works inside a Garrison mission[\s\S]*Hint:/);
  });
});
