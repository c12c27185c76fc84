import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { Label, WORKSPACE_DIR } from '@garrison/core';

/**
 * The floors talk to the engine directly: dockerode (the fairer floor, the worker's own client)
 * and the docker CLI (which adds a process start per call). The bench is a measuring tool, not
 * app code, so importing dockerode here does not bend the rule that only the worker's Docker
 * adapter does.
 */
export const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
export const AGENT_USER = '1000:1000';
const execFileAsync = promisify(execFile);

export async function cli(args: string[]): Promise<string> {
  return (await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

export interface WorkspaceLimits {
  image: string;
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
}

/** Labels for containers and volumes the floors create: found and removed by team, like a workspace's. */
export function floorLabels(teamId: string): Record<string, string> {
  return { [Label.TeamId]: teamId, 'dev.garrison.bench': 'floor' };
}

/** `docker run -d` flags with the walls and limits the worker gives a workspace container. */
export function runArgs(name: string, volume: string, teamId: string, limits: WorkspaceLimits): string[] {
  const labels = Object.entries(floorLabels(teamId)).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  return [
    'run', '-d', '--name', name, ...labels,
    '--user', AGENT_USER, '--workdir', WORKSPACE_DIR,
    '--mount', `type=volume,src=${volume},dst=${WORKSPACE_DIR}`,
    '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '--memory', `${limits.memoryMb}m`, '--memory-swap', `${limits.memoryMb}m`,
    '--cpus', String(limits.cpus), '--pids-limit', String(limits.pidsLimit),
    '--network', 'none', '--restart', 'no',
    limits.image,
  ];
}

/** The same container through the API, as the worker's Docker adapter creates it. */
export function createOptions(name: string, volume: string, teamId: string, limits: WorkspaceLimits): Docker.ContainerCreateOptions {
  return {
    name,
    Image: limits.image,
    User: AGENT_USER,
    WorkingDir: WORKSPACE_DIR,
    Labels: floorLabels(teamId),
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: volume, Target: WORKSPACE_DIR }],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: limits.memoryMb * 1024 * 1024,
      MemorySwap: limits.memoryMb * 1024 * 1024,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pidsLimit,
      NetworkMode: 'none',
      RestartPolicy: { Name: 'no' },
    },
  };
}

/**
 * Exec create + start through the API until the first byte of output arrives, as the agent user
 * in the workspace directory; then waits for the stream to end so samples never overlap.
 */
export async function execToFirstOutput(container: string, command: string[]): Promise<number> {
  const started = performance.now();
  const exec = await docker.getContainer(container).exec({
    Cmd: command,
    User: AGENT_USER,
    WorkingDir: WORKSPACE_DIR,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let firstOutput = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', () => {
      if (firstOutput === 0) firstOutput = performance.now() - started;
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  if (firstOutput === 0) throw new Error(`bench: exec of ${command.join(' ')} in ${container} printed nothing`);
  return firstOutput;
}

/** Exec through the API and wait for the process to end (the floors' "first exec"). */
export async function execToEnd(container: string, command: string[]): Promise<void> {
  const exec = await docker.getContainer(container).exec({ Cmd: command, User: AGENT_USER, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.resume();
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  const info = await exec.inspect();
  if (info.ExitCode !== 0) throw new Error(`bench: exec of ${command.join(' ')} in ${container} exited ${info.ExitCode}`);
}

/** A process on the stdin/stdout of an exec, in the shape `ExecStdioTransport` takes. */
export async function execStdio(container: string, command: string[]) {
  const exec = await docker.getContainer(container).exec({
    Cmd: command,
    User: AGENT_USER,
    WorkingDir: WORKSPACE_DIR,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
  });
  const duplex = await exec.start({ hijack: true, stdin: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(duplex, stdout, stderr);
  stderr.resume();
  duplex.once('end', () => stdout.end());
  duplex.on('error', () => {});
  return { stdout, write: (text: string) => void duplex.write(text), close: () => duplex.destroy() };
}

/**
 * The image and limits a workspace container really got (a template may set its own), so the
 * floors' containers are made exactly alike.
 */
export async function limitsOf(container: string): Promise<WorkspaceLimits> {
  const info = await docker.getContainer(container).inspect();
  return {
    image: info.Config.Image,
    memoryMb: Math.round(info.HostConfig.Memory! / 1024 / 1024),
    cpus: info.HostConfig.NanoCpus! / 1e9,
    pidsLimit: info.HostConfig.PidsLimit!,
  };
}
