import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { waitFor } from '@garrison/testkit';
import type { AgentAdapter, AgentLaunch, LaunchBase, ParsedEvent } from '../src/index.ts';

const run = promisify(execFile);

export const WORKSPACE_IMAGE = process.env.GARRISON_WORKSPACE_IMAGE ?? 'garrison/workspace:dev';
/** Everything these tests create in Docker carries this prefix. */
export const NAME_PREFIX = 'h-adapters-';

/**
 * Started inside the container as the runner does it: write the launch's files, spawn the command
 * with exactly its env and cwd, stdin closed, stdout and stderr passed through. Prints the spawn
 * time to stderr so the host can time the CLI itself rather than the container start.
 */
const LAUNCHER = `
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { spawn } = require('node:child_process');
const launch = JSON.parse(Buffer.from(process.env.LAUNCH_JSON, 'base64').toString('utf8'));
for (const file of launch.files ?? []) {
  mkdirSync(dirname(file.path), { recursive: true, mode: 0o700 });
  writeFileSync(file.path, file.content, { mode: file.mode ?? 0o600 });
}
process.stderr.write('launcher: spawned at ' + Date.now() + '\\n');
const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (error) => { process.stderr.write('launcher: ' + error.message + '\\n'); process.exit(127); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
`;

export interface TurnRun {
  exitCode: number | null;
  lines: string[];
  stderr: string;
  events: ParsedEvent[];
  sessionId: string | undefined;
  /** From the CLI's spawn to the line that produced the first agent.message. */
  firstMessageMs: number | undefined;
}

/**
 * The address containers on the default bridge reach the host by. This engine leaves the
 * gateway out of the default bridge's IPAM config; it is then Docker's default, the subnet's
 * first address.
 */
export async function bridgeGateway(): Promise<string> {
  const { stdout } = await run('docker', ['network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}']);
  const [config] = JSON.parse(stdout) as { Subnet?: string; Gateway?: string }[];
  if (config?.Gateway) return config.Gateway;
  const octets = (config?.Subnet ?? '').split('/')[0]!.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet))) throw new Error(`cannot tell the bridge's gateway from ${stdout}`);
  return [...octets.slice(0, 3), octets[3]! + 1].join('.');
}

export async function createVolume(): Promise<string> {
  const name = `${NAME_PREFIX}${randomBytes(4).toString('hex')}`;
  await run('docker', ['volume', 'create', name]);
  return name;
}

export async function removeVolume(name: string): Promise<void> {
  await run('docker', ['volume', 'rm', '-f', name]).catch(() => undefined);
}

/** Runs a shell command in a throwaway container on the volume (as the agent user). */
export async function inVolume(volume: string, script: string): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', '--user', '1000:1000', '-v', `${volume}:/workspace`, WORKSPACE_IMAGE, 'sh', '-c', script]);
  return stdout;
}

/** The LaunchBase the runner builds in a workspace container, for one mission on the volume. */
export function launchBase(missionId: string, policy: string): LaunchBase {
  const missionDir = `/workspace/.garrison/missions/${missionId}`;
  const inherited = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
  return {
    workspaceDir: '/workspace',
    homeDir: '/home/agent',
    inherited,
    missionDir,
    mcp: {
      command: 'node',
      args: ['/opt/garrison/workspace-mcp.cjs'],
      env: { ...inherited, GARRISON_WORKSPACE_DIR: '/workspace', GARRISON_MISSION_DIR: missionDir, GARRISON_POLICY: policy, GARRISON_MISSION_ID: missionId },
    },
  };
}

/**
 * Runs one turn of an agent in a throwaway container shaped like a workspace (uid 1000, no
 * capabilities, no new privileges) and feeds its stdout, line by line, to the adapter's parser.
 */
export async function runTurnInContainer(adapter: AgentAdapter, launch: AgentLaunch, volume: string, timeoutMs = 90_000): Promise<TurnRun> {
  const name = `${NAME_PREFIX}${randomBytes(4).toString('hex')}`;
  const parser = adapter.createParser!();
  const lines: string[] = [];
  const events: ParsedEvent[] = [];
  let stderr = '';
  let firstMessageAt: number | undefined;
  const child = spawn('docker', [
    'run', '--rm', '--name', name, '--user', '1000:1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '-v', `${volume}:/workspace`, '-e', `LAUNCH_JSON=${Buffer.from(JSON.stringify(launch)).toString('base64')}`,
    WORKSPACE_IMAGE, 'node', '-e', LAUNCHER,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  const take = (line: string): void => {
    lines.push(line);
    const parsed = parser.parseLine(line);
    if (firstMessageAt === undefined && parsed.some((event) => event.type === 'agent.message')) firstMessageAt = Date.now();
    events.push(...parsed);
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    parts.forEach(take);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => void run('docker', ['rm', '-f', name]).catch(() => undefined), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (pending) take(pending);
  const spawnedAt = Number(/launcher: spawned at (\d+)/.exec(stderr)?.[1]);
  return {
    exitCode,
    lines,
    stderr,
    events,
    sessionId: parser.sessionId,
    firstMessageMs: firstMessageAt !== undefined && spawnedAt ? firstMessageAt - spawnedAt : undefined,
  };
}

export interface PendingApproval {
  container: string;
  request: { id: string; kind: string; tool: string; summary: string; input: unknown };
}

/**
 * Plays the runner and the worker for an approval: waits until the workspace MCP server of the
 * running agent container wrote its request, and fails at once if the turn ends first.
 */
export async function waitForApproval(volume: string, missionDir: string, turn: Promise<TurnRun>): Promise<PendingApproval> {
  let ended: TurnRun | undefined;
  void turn.then((done) => (ended = done));
  const found = await waitFor<{ ended: TurnRun } | PendingApproval>(async () => {
    const done = ended;
    if (done) return { ended: done };
    const container = (await run('docker', ['ps', '-q', '--filter', `volume=${volume}`, '--filter', `name=${NAME_PREFIX}`])).stdout.trim().split('\n')[0];
    if (!container) return undefined;
    const { stdout } = await run('docker', ['exec', container, 'sh', '-c', `cat ${missionDir}/requests/*.json 2>/dev/null || true`]);
    return stdout.trim() ? { container, request: JSON.parse(stdout) as PendingApproval['request'] } : undefined;
  }, { timeoutMs: 60_000, what: 'an approval request' });
  if ('ended' in found) throw new Error(`the agent ended without asking: ${explain(found.ended)}`);
  return found;
}

/** Answers as `runner answer` does: a temporary name, then a rename. */
export async function answerApproval(pending: PendingApproval, missionDir: string, decision: 'allow' | 'deny'): Promise<void> {
  const { id } = pending.request;
  const response = JSON.stringify({ id, kind: 'approval', decision, by: 'tester', ts: new Date().toISOString() });
  const dir = `${missionDir}/responses`;
  await run('docker', ['exec', pending.container, 'sh', '-c', `mkdir -p ${dir} && printf '%s' '${response}' > ${dir}/.${id}.tmp && mv ${dir}/.${id}.tmp ${dir}/${id}.json`]);
}

/** What a failed assertion on a turn should show: its stderr and last output lines. */
export function explain(turn: TurnRun): string {
  return `${turn.stderr}\n${turn.lines.slice(-6).map((line) => line.slice(0, 600)).join('\n')}`;
}

/** The event types in order, with tool calls and results named, for order assertions. */
export function eventTrail(events: ParsedEvent[]): string[] {
  return events
    .filter((event) => event.type !== 'agent.delta' && event.type !== 'process.output')
    .map((event) => (event.type === 'tool.call' ? `tool.call:${String(event.payload.name)}` : event.type));
}
