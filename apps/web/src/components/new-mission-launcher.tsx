'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { Workspace } from '../lib/api-types';
import { isDialogOpen, isPlainKey, isTypingTarget } from '../lib/keyboard';
import { OPEN_NEW_MISSION_EVENT, workspaceIdFromPath, type NewMissionRequest } from '../lib/new-mission-launch';
import { queryKeys, useApiQuery } from '../lib/queries';
import { VIEWER_REASON, useCanWrite } from '../lib/use-role';
import { NewMissionFields } from './new-mission-form';
import { ShortcutHelp } from './shortcut-help';
import { Button, Dialog, ErrorNote, Kbd, Loading } from './ui';

/**
 * The top bar's "New mission" button and the dashboard's global shortcuts: `n` or Ctrl/Cmd+K
 * opens the dialog, `?` lists the shortcuts. Keys typed into a field, the terminal or an open
 * dialog are left alone. On a workspace's page the dialog starts in that workspace.
 */
export function NewMissionLauncher() {
  const pathname = usePathname();
  const [request, setRequest] = useState<NewMissionRequest | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  // Viewers cannot dispatch (the API answers 403): no button, and `n` / Ctrl+K do nothing.
  const canWrite = useCanWrite() !== false;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.repeat || isTypingTarget(event.target) || isDialogOpen()) return;
      if (canWrite && (isPlainKey(event, 'n') || ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k'))) {
        event.preventDefault();
        setRequest({});
      } else if (isPlainKey(event, '?')) {
        event.preventDefault();
        setHelpOpen(true);
      }
    };
    const onOpen = (event: Event): void => {
      if (canWrite) setRequest((event as CustomEvent<NewMissionRequest>).detail ?? {});
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener(OPEN_NEW_MISSION_EVENT, onOpen);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener(OPEN_NEW_MISSION_EVENT, onOpen);
    };
  }, [canWrite]);

  const preferred = request?.workspaceId ?? workspaceIdFromPath(pathname);
  return (
    <>
      {canWrite ? (
        <Button variant="primary" size="sm" onClick={() => setRequest({})} aria-keyshortcuts="n Control+K Meta+K" title="New mission (n or Ctrl/⌘+K)">
          New mission
          <span className="hidden md:inline" aria-hidden="true">
            <Kbd>n</Kbd>
          </span>
        </Button>
      ) : (
        <span className="rounded-md border border-border px-2 py-1 text-xs text-muted" title={VIEWER_REASON} data-testid="viewer-badge">
          Read-only · viewer
        </span>
      )}
      <Dialog open={request !== null} onOpenChange={(open) => !open && setRequest(null)} title="New mission" description="Dispatch a shell script or a coding agent into a workspace." size="lg">
        {request ? <LauncherBody key={preferred ?? ''} preferredWorkspaceId={preferred} onDispatched={() => setRequest(null)} /> : null}
      </Dialog>
      <ShortcutHelp open={helpOpen} onOpenChange={setHelpOpen} />
    </>
  );
}

function LauncherBody({ preferredWorkspaceId, onDispatched }: { preferredWorkspaceId?: string; onDispatched(): void }) {
  const workspaces = useApiQuery<{ workspaces: Workspace[] }>(queryKeys.workspaces, '/workspaces');
  const [chosen, setChosen] = useState<string | null>(null);
  if (workspaces.isPending) return <Loading label="Loading workspaces…" />;
  if (workspaces.error) return <ErrorNote>{`Could not load your workspaces: ${workspaces.error.message}`}</ErrorNote>;
  const list = workspaces.data.workspaces;
  const fallback = list.find((workspace) => workspace.id === preferredWorkspaceId) ?? list.find((workspace) => workspace.status === 'running') ?? list[0];
  return (
    <>
      {list.length === 0 ? (
        <p className="mb-3 text-sm text-muted">
          Missions run inside a workspace.{' '}
          <Link href="/workspaces" onClick={onDispatched} className="underline">
            Create a workspace
          </Link>{' '}
          first, then come back here.
        </p>
      ) : null}
      <NewMissionFields workspaces={list} workspaceId={chosen ?? fallback?.id ?? ''} onWorkspaceChange={setChosen} autoFocusPrompt onDispatched={onDispatched} />
    </>
  );
}
