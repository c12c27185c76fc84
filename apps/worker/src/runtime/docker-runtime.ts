import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { Label, WORKSPACE_DIR, workspaceContainerName, workspaceNetworkName, workspaceVolumeName, type WorkspaceStats } from '@garrison/core';
import { networkGuardScript } from './network-guard.ts';
import { workspaceStatsOf, type EngineStatsSample } from './container-stats.ts';
import type {
  BinaryExecResult,
  ContainerRuntime,
  ContainerState,
  EngineStats,
  ExecResult,
  ExecSession,
  ImageBuildRequest,
  TtySession,
  WorkspaceContainerSpec,
} from './container-runtime.ts';
import { holdSocketWhileLagging } from './exec-backpressure.ts';

/** uid:gid of the image's `agent` user; nothing in a workspace runs as root. */
const AGENT_USER = '1000:1000';

export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Docker;

  constructor(socketPath = '/var/run/docker.sock') {
    this.docker = new Docker({ socketPath });
  }

  async ping(): Promise<{ ok: boolean; version: string | null }> {
    try {
      const version = await this.docker.version();
      return { ok: true, version: version.Version };
    } catch {
      return { ok: false, version: null };
    }
  }

  async engineStats(installation: string): Promise<EngineStats> {
    const [info, workspaces] = await Promise.all([
      this.docker.info() as Promise<{ DockerRootDir?: string; Containers?: number; ContainersRunning?: number }>,
      this.docker.listContainers({ filters: { status: ['running'], label: [`${Label.Managed}=true`, `${Label.Installation}=${installation}`] } }),
    ]);
    return {
      dataRoot: info.DockerRootDir || null,
      containersRunning: info.ContainersRunning ?? 0,
      containersTotal: info.Containers ?? 0,
      workspacesRunning: workspaces.filter((container) => container.Labels[Label.WorkspaceId]).length,
    };
  }

  async inspectWorkspaceContainer(workspaceId: string): Promise<ContainerState | null> {
    try {
      const info = await this.docker.getContainer(workspaceContainerName(workspaceId)).inspect();
      return {
        id: info.Id,
        workspaceId,
        running: info.State.Running,
        paused: info.State.Paused,
        oomKilled: info.State.OOMKilled,
        exitCode: info.State.Running ? null : info.State.ExitCode,
        hostAddress: info.NetworkSettings?.Networks?.[workspaceNetworkName(workspaceId)]?.Gateway || null,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async sampleWorkspaceStats(workspaceId: string): Promise<WorkspaceStats | null> {
    const state = await this.inspectWorkspaceContainer(workspaceId);
    if (!state?.running || state.paused) return null;
    try {
      // stream=false waits for a second reading, so the sample carries a CPU rate.
      const sample = await this.docker.getContainer(state.id).stats({ stream: false });
      return workspaceStatsOf(sample as unknown as EngineStatsSample);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * Reuse or recreate: a running container is used as is, a stopped or paused one is started,
   * and a missing one is created on the workspace's named volume, which outlives every container.
   */
  async ensureWorkspaceContainer(spec: WorkspaceContainerSpec): Promise<ContainerState> {
    const existing = await this.inspectWorkspaceContainer(spec.workspaceId);
    const container = this.docker.getContainer(workspaceContainerName(spec.workspaceId));
    if (existing?.paused) await container.unpause();
    if (existing?.running) return (await this.inspectWorkspaceContainer(spec.workspaceId))!;
    if (existing) {
      await container.start();
    } else {
      await this.ensureVolume(spec);
      if (spec.networkPolicy !== 'none') await this.ensureNetwork(spec);
      try {
        await (await this.docker.createContainer(workspaceContainerOptions(spec))).start();
      } catch (error) {
        // Another worker created it between our inspect and create: theirs is as good as ours.
        if (!isConflict(error)) throw error;
        await container.start().catch((startError: unknown) => {
          if (!isNotModified(startError)) throw startError;
        });
      }
    }
    // A start makes a new network namespace: its guard rules are written again every time, and
    // a workspace whose guard could not be written does not stay up (fail closed).
    const hostAddress = spec.modelGatewayPort ? (await this.inspectWorkspaceContainer(spec.workspaceId))?.hostAddress : null;
    const script = networkGuardScript(spec.networkPolicy, hostAddress && spec.modelGatewayPort ? { address: hostAddress, port: spec.modelGatewayPort } : null);
    if (script) {
      await this.applyNetworkGuard(spec, script).catch(async (error: unknown) => {
        await container.stop({ t: 0 }).catch(() => {});
        throw error;
      });
    }
    return (await this.inspectWorkspaceContainer(spec.workspaceId))!;
  }

  async execStream(containerId: string, command: string[], options: { env?: Record<string, string> } = {}): Promise<ExecSession> {
    const exec = await this.createAgentExec(containerId, command, { tty: false, env: options.env });
    const duplex = await exec.start({ hijack: true, stdin: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(duplex, stdout, stderr);
    holdSocketWhileLagging(duplex, [stdout, stderr]);
    const exited = new Promise<number | null>((resolve) => {
      duplex.once('close', () => {
        stdout.end();
        stderr.end();
        resolve(exitCodeOf(exec));
      });
    });
    duplex.once('end', () => duplex.destroy());
    duplex.on('error', () => {});
    return {
      stdout,
      stderr,
      exited,
      write: (text) => void duplex.write(text),
      endInput: () => void duplex.end(),
      close: () => duplex.destroy(),
    };
  }

  async execCollect(containerId: string, command: string[], timeoutMs = 30_000): Promise<ExecResult> {
    const session = await this.execStream(containerId, command);
    let stdout = '';
    let stderr = '';
    session.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    session.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    session.endInput();
    const timer = setTimeout(() => session.close(), timeoutMs);
    const exitCode = await session.exited;
    clearTimeout(timer);
    return { exitCode, stdout, stderr };
  }

  async stopWorkspaceContainer(workspaceId: string): Promise<void> {
    await ignoreStatus([304, 404], () => this.docker.getContainer(workspaceContainerName(workspaceId)).stop({ t: 10 }));
  }

  async pauseWorkspaceContainer(workspaceId: string): Promise<void> {
    await this.docker.getContainer(workspaceContainerName(workspaceId)).pause();
  }

  async unpauseWorkspaceContainer(workspaceId: string): Promise<void> {
    await this.docker.getContainer(workspaceContainerName(workspaceId)).unpause();
  }

  async removeWorkspaceContainer(workspaceId: string): Promise<void> {
    await ignoreStatus([404], () => this.docker.getContainer(workspaceContainerName(workspaceId)).remove({ force: true }));
  }

  async imageExists(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async buildImage(request: ImageBuildRequest, onLine: (line: string) => void): Promise<void> {
    const stream = await this.docker.buildImage(
      { context: request.contextDir, src: request.files },
      { t: request.tag, dockerfile: request.dockerfile, buildargs: request.buildArgs, nocache: request.noCache ?? false, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: { error?: string }[]) => {
          const failed = error?.message ?? output.find((entry) => entry.error)?.error;
          if (failed) reject(new Error(failed));
          else resolve();
        },
        (event: { stream?: string; status?: string; error?: string }) => {
          const text = (event.stream ?? event.status ?? event.error ?? '').trimEnd();
          if (text) onLine(text);
        },
      );
    });
  }

  async removeWorkspaceNetwork(workspaceId: string): Promise<void> {
    await ignoreStatus([404], () => this.docker.getNetwork(workspaceNetworkName(workspaceId)).remove());
  }

  private async ensureNetwork(spec: WorkspaceContainerSpec): Promise<void> {
    try {
      await this.docker.getNetwork(workspaceNetworkName(spec.workspaceId)).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await ignoreStatus([409], () =>
        this.docker.createNetwork({
          Name: workspaceNetworkName(spec.workspaceId),
          Driver: 'bridge',
          // model_only has no route off the host at all; egress and open get a NATed bridge.
          Internal: spec.networkPolicy === 'model_only',
          Labels: workspaceLabels(spec),
          Options: { 'com.docker.network.bridge.enable_icc': 'false' },
        }),
      );
    }
  }

  /** Writes the policy's OUTPUT rules into the workspace's namespace from a one-shot root sidecar. */
  private async applyNetworkGuard(spec: WorkspaceContainerSpec, script: string): Promise<void> {
    const guard = await this.docker.createContainer({
      Image: spec.image,
      User: '0:0',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: [script],
      Labels: { [Label.Role]: 'network-guard' },
      HostConfig: {
        NetworkMode: `container:${workspaceContainerName(spec.workspaceId)}`,
        CapDrop: ['ALL'],
        CapAdd: ['NET_ADMIN', 'NET_RAW'],
        SecurityOpt: ['no-new-privileges'],
      },
    });
    try {
      await guard.start();
      const { StatusCode } = (await guard.wait()) as { StatusCode: number };
      if (StatusCode !== 0) {
        const logs = (await guard.logs({ stdout: true, stderr: true })).toString('utf8').slice(-500);
        throw new Error(`the ${spec.networkPolicy} network guard could not be applied (exit ${StatusCode}): ${logs}`);
      }
    } finally {
      await guard.remove({ force: true }).catch(() => {});
    }
  }

  async runOnce(image: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const container = await this.docker.createContainer({
      Image: image,
      User: AGENT_USER,
      Entrypoint: [],
      Cmd: command,
      Labels: { [Label.Role]: 'image-probe' },
      HostConfig: { NetworkMode: 'none', CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Memory: 256 * 1024 * 1024, PidsLimit: 64 },
    });
    try {
      await container.start();
      const timer = setTimeout(() => void container.kill().catch(() => {}), timeoutMs);
      const { StatusCode } = (await container.wait().finally(() => clearTimeout(timer))) as { StatusCode: number };
      const { stdout, stderr } = demuxLogs((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
      return { exitCode: StatusCode, stdout, stderr };
    } finally {
      await container.remove({ force: true }).catch(() => {});
    }
  }

  async removeWorkspaceVolume(workspaceId: string): Promise<void> {
    await ignoreStatus([404], () => this.docker.getVolume(workspaceVolumeName(workspaceId)).remove({ force: true }));
  }

  async listWorkspaceContainers(installation: string): Promise<ContainerState[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${Label.Managed}=true`, `${Label.Installation}=${installation}`] },
    });
    const states = await Promise.all(
      containers.map((container) => this.inspectWorkspaceContainer(container.Labels[Label.WorkspaceId] ?? '').catch(() => null)),
    );
    return states.filter((state): state is ContainerState => state !== null);
  }

  async execTty(containerId: string, command: string[], options: { cols: number; rows: number; env?: Record<string, string> }): Promise<TtySession> {
    const exec = await this.createAgentExec(containerId, command, { tty: true, env: options.env });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    stream.on('error', () => {});
    // Piped at once: the process prints before our caller listens, and nothing may be lost.
    const output = new PassThrough();
    stream.pipe(output);
    const resize = async (cols: number, rows: number): Promise<void> => {
      await exec.resize({ w: cols, h: rows });
    };
    // Engines before API 1.42 take no size at start: size it at once, before the shell draws.
    await resize(options.cols, options.rows).catch(() => {});
    const exited = new Promise<number | null>((resolve) => stream.once('close', () => resolve(exitCodeOf(exec))));
    stream.once('end', () => stream.destroy());
    return {
      output,
      exited,
      write: (data) => void stream.write(data),
      resize,
      close: () => stream.destroy(),
    };
  }

  async execBinary(containerId: string, command: string[], options: { input?: Buffer; timeoutMs: number; maxOutputBytes: number }): Promise<BinaryExecResult> {
    const exec = await this.createAgentExec(containerId, command, { tty: false });
    const duplex = await exec.start({ hijack: true, stdin: true });
    duplex.on('error', () => {});
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(duplex, stdout, stderr);
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrText = '';
    let overflowed = false;
    let timedOut = false;
    stdout.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxOutputBytes) {
        overflowed = true;
        duplex.destroy();
        return;
      }
      chunks.push(chunk);
    });
    stderr.on('data', (chunk: Buffer) => {
      if (stderrText.length < 8192) stderrText += chunk.toString('utf8');
    });
    const closed = new Promise<void>((resolve) => duplex.once('close', () => resolve()));
    duplex.once('end', () => duplex.destroy());
    const timer = setTimeout(() => {
      timedOut = true;
      duplex.destroy();
    }, options.timeoutMs);
    if (options.input && options.input.length > 0) duplex.write(options.input);
    duplex.end();
    await closed;
    clearTimeout(timer);
    return {
      exitCode: await exitCodeOf(exec),
      stdout: Buffer.concat(chunks),
      stderr: stderrText,
      overflowed,
      timedOut,
    };
  }

  /** Every process Garrison starts in a workspace runs as the agent user in /workspace. */
  private createAgentExec(containerId: string, command: string[], options: { tty: boolean; env?: Record<string, string> }): Promise<Docker.Exec> {
    return this.docker.getContainer(containerId).exec({
      Cmd: command,
      Env: Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`),
      User: AGENT_USER,
      WorkingDir: WORKSPACE_DIR,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
    });
  }

  private async ensureVolume(spec: WorkspaceContainerSpec): Promise<void> {
    const name = workspaceVolumeName(spec.workspaceId);
    try {
      await this.docker.getVolume(name).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.docker.createVolume({ Name: name, Labels: workspaceLabels(spec) });
    }
  }
}

function workspaceLabels(spec: WorkspaceContainerSpec): Record<string, string> {
  return {
    [Label.Managed]: 'true',
    [Label.WorkspaceId]: spec.workspaceId,
    [Label.TeamId]: spec.teamId,
    [Label.Installation]: spec.installation,
  };
}

/**
 * The walls of a workspace: unprivileged user, no capabilities, no privilege escalation, bounded
 * memory, CPU and processes, and a network of its own per its policy (or none at all).
 */
function workspaceContainerOptions(spec: WorkspaceContainerSpec): Docker.ContainerCreateOptions {
  return {
    name: workspaceContainerName(spec.workspaceId),
    Image: spec.image,
    User: AGENT_USER,
    WorkingDir: WORKSPACE_DIR,
    Env: Object.entries(spec.env ?? {}).map(([name, value]) => `${name}=${value}`),
    Labels: workspaceLabels(spec),
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: workspaceVolumeName(spec.workspaceId), Target: WORKSPACE_DIR }],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: spec.pidsLimit,
      NetworkMode: spec.networkPolicy === 'none' ? 'none' : workspaceNetworkName(spec.workspaceId),
      RestartPolicy: { Name: 'no' },
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}
const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
const isConflict = (error: unknown): boolean => statusOf(error) === 409;
const isNotModified = (error: unknown): boolean => statusOf(error) === 304;

/** The engine's answer when a container is created from an image it does not have. */
export function isMissingImage(error: unknown): boolean {
  return statusOf(error) === 404 && /no such image/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * The exit code of an exec whose stream closed: null while it still runs or when the engine does
 * not say. It is a detail; a slow engine must not hold a caller for more than a few seconds.
 */
function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    exec.inspect().then(
      (info) => {
        clearTimeout(timer);
        resolve(info.Running ? null : (info.ExitCode ?? null));
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

/** `docker logs` of a container without a TTY: frames of [stream, 0, 0, 0, size (4 bytes BE)] + payload. */
function demuxLogs(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    (buffer[at] === 2 ? err : out).push(buffer.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Runs an engine call whose listed statuses mean "already so" (not modified, gone). */
async function ignoreStatus(statuses: number[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined || !statuses.includes(status)) throw error;
  }
}
