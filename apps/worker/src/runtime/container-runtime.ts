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
}

export interface ContainerState {
  id: string;
  workspaceId: string;
  running: boolean;
  paused: boolean;
  oomKilled: boolean;
  exitCode: number | null;
}

/** A process started with exec whose stdout is streamed; stdin stays open until `close`. */
export interface ExecSession {
  stdout: Readable;
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

export interface ContainerRuntime {
  ping(): Promise<{ ok: boolean; version: string | null }>;
  ensureWorkspaceContainer(spec: WorkspaceContainerSpec): Promise<ContainerState>;
  inspectWorkspaceContainer(workspaceId: string): Promise<ContainerState | null>;
  execStream(containerId: string, command: string[]): Promise<ExecSession>;
  execCollect(containerId: string, command: string[], timeoutMs?: number): Promise<ExecResult>;
  stopWorkspaceContainer(workspaceId: string): Promise<void>;
  pauseWorkspaceContainer(workspaceId: string): Promise<void>;
  unpauseWorkspaceContainer(workspaceId: string): Promise<void>;
  /** Removes the container only; the volume (the workspace's files) stays. */
  removeWorkspaceContainer(workspaceId: string): Promise<void>;
  removeWorkspaceVolume(workspaceId: string): Promise<void>;
  /** Every workspace container of one installation on this engine, found by label. */
  listWorkspaceContainers(installation: string): Promise<ContainerState[]>;
}
