import type { NetworkPolicy, WorkspaceStats } from '@garrison/core';
import type { Readable } from 'node:stream';

/**
 * The worker's only view of a container engine. Services depend on this port; the Docker adapter
 * is the single file that imports dockerode, and tests may supply an in-memory fake.
 */
export interface WorkspaceContainerSpec {
  workspaceId: string;
  teamId: string;
  installation: string;
  image: string;
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  /** The template's variables, set on the container (never secrets: provider keys stay outside). */
  env?: Record<string, string>;
  networkPolicy: NetworkPolicy;
  /**
   * The model gateway's port on the host: the network guard lets the workspace reach the host's
   * address on its own network at this port, and nothing else of the host.
   */
  modelGatewayPort?: number;
}

export interface ContainerState {
  id: string;
  workspaceId: string;
  running: boolean;
  paused: boolean;
  oomKilled: boolean;
  exitCode: number | null;
  /** The host's address on the workspace's network (where the model gateway listens); null without one. */
  hostAddress: string | null;
}

/** A process started with exec whose stdout is streamed; stdin stays open until `close`. */
export interface ExecSession {
  stdout: Readable;
  stderr: Readable;
  write(text: string): void;
  /** Closes stdin only (half-close); stdout keeps flowing. */
  endInput(): void;
  /** Resolves with the exit code once the process ended (null if the engine does not know). */
  exited: Promise<number | null>;
  close(): void;
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** An interactive process on a pseudo-terminal (the web terminal): raw output, resizable. */
export interface TtySession {
  output: Readable;
  write(data: string): void;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process ended (null if the engine does not know). */
  exited: Promise<number | null>;
  close(): void;
}

/** A short exec whose stdin and stdout are bytes (file transfers); stdout is capped. */
export interface BinaryExecResult {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout went past maxOutputBytes and the exec was cut off. */
  overflowed: boolean;
  timedOut: boolean;
}

export interface ContainerRuntime {
  ping(): Promise<{ ok: boolean; version: string | null }>;
  /** Container counts and the data root of the engine, for the heartbeat's host resources. */
  engineStats(installation: string): Promise<EngineStats>;
  ensureWorkspaceContainer(spec: WorkspaceContainerSpec): Promise<ContainerState>;
  inspectWorkspaceContainer(workspaceId: string): Promise<ContainerState | null>;
  /**
   * One resource usage sample of a workspace's running container, null when there is none running.
   * It takes about a second: the engine reads CPU time twice to compute a rate.
   */
  sampleWorkspaceStats(workspaceId: string): Promise<WorkspaceStats | null>;
  execStream(containerId: string, command: string[], options?: { env?: Record<string, string> }): Promise<ExecSession>;
  execCollect(containerId: string, command: string[], timeoutMs?: number): Promise<ExecResult>;
  stopWorkspaceContainer(workspaceId: string): Promise<void>;
  pauseWorkspaceContainer(workspaceId: string): Promise<void>;
  unpauseWorkspaceContainer(workspaceId: string): Promise<void>;
  /** Removes the container only; the volume (the workspace's files) stays. */
  removeWorkspaceContainer(workspaceId: string): Promise<void>;
  removeWorkspaceVolume(workspaceId: string): Promise<void>;
  removeWorkspaceNetwork(workspaceId: string): Promise<void>;
  imageExists(image: string): Promise<boolean>;
  /** Builds `tag` from files under `contextDir` (the legacy builder), reporting each output line. */
  buildImage(request: ImageBuildRequest, onLine: (line: string) => void): Promise<void>;
  /** Every workspace container of one installation on this engine, found by label. */
  listWorkspaceContainers(installation: string): Promise<ContainerState[]>;
  /** Runs a command on a TTY as uid 1000 (the web terminal). */
  execTty(containerId: string, command: string[], options: { cols: number; rows: number; env?: Record<string, string> }): Promise<TtySession>;
  /**
   * Runs a command in a throwaway container of `image` (no network, no capabilities), collects its
   * output and removes it: a look inside an image, such as which agent CLIs it has.
   */
  runOnce(image: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /** Runs a command as uid 1000 with `input` as its whole stdin, collecting stdout as bytes. */
  execBinary(containerId: string, command: string[], options: { input?: Buffer; timeoutMs: number; maxOutputBytes: number }): Promise<BinaryExecResult>;
}

export interface ImageBuildRequest {
  contextDir: string;
  /** Paths relative to contextDir that make up the build context. */
  files: string[];
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  noCache?: boolean;
}

export interface EngineStats {
  /** Where the engine keeps images and volumes (on the engine's host); null if it does not say. */
  dataRoot: string | null;
  containersRunning: number;
  containersTotal: number;
  /** Running workspace containers of one installation. */
  workspacesRunning: number;
}
