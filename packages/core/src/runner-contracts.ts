export {
  MAX_EVENT_TEXT_BYTES,
  RUNNER_BUNDLE,
  RUNNER_EXIT_STATE_LOST,
  RUNNER_STATE_DIR,
  WORKSPACE_DIR,
  missionStateDir,
  parseRunnerSpec,
  type RunnerSpec,
} from './runner-constants.ts';

/** Container labels: the reconciler finds our containers by them, never by name alone. */
export const Label = {
  Managed: 'dev.garrison.managed',
  WorkspaceId: 'dev.garrison.workspace-id',
  TeamId: 'dev.garrison.team-id',
  /** One installation (one database) per value: a reconciler never touches another's containers. */
  Installation: 'dev.garrison.installation',
  /** Helper containers (the network guard) carry only this, so nothing mistakes them for workspaces. */
  Role: 'dev.garrison.role',
} as const;

export function workspaceContainerName(workspaceId: string): string {
  return `garrison-ws-${workspaceId}`;
}

export function workspaceNetworkName(workspaceId: string): string {
  return `garrison-ws-${workspaceId}`;
}

export function workspaceVolumeName(workspaceId: string): string {
  return `garrison-ws-${workspaceId}`;
}
