'use client';

/**
 * Any page can open the New-mission dialog (held by the launcher in the top bar) without a
 * shared provider: a window event, e.g. the workspace page's "New mission here".
 */
export const OPEN_NEW_MISSION_EVENT = 'garrison:new-mission';

export interface NewMissionRequest {
  workspaceId?: string;
}

export function openNewMission(request: NewMissionRequest = {}): void {
  window.dispatchEvent(new CustomEvent<NewMissionRequest>(OPEN_NEW_MISSION_EVENT, { detail: request }));
}

/** The workspace whose page is open, if any: the dialog starts there. */
export function workspaceIdFromPath(pathname: string): string | undefined {
  const match = /^\/workspaces\/([^/]+)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
