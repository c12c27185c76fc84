'use client';

import Link from 'next/link';
import type { Mission } from '../lib/api-types';
import { firstLine, formatDateTime, formatRelative } from '../lib/format';
import { openNewMission } from '../lib/new-mission-launch';
import { useCanWrite } from '../lib/use-role';
import { missionPath } from '../lib/paths';
import { queryKeys, useApiQuery } from '../lib/queries';
import { StatusBadge } from './status-badge';
import { Button, EmptyState, ErrorNote, Loading, Panel } from './ui';

const SHOWN = 10;

/** The workspace's latest missions, each a link to its page, and a way to dispatch one here. */
export function WorkspaceMissions({ workspaceId, canDispatch }: { workspaceId: string; canDispatch: boolean }) {
  const missions = useApiQuery<{ missions: Mission[]; total?: number }>(
    [...queryKeys.missions, { workspaceId, pageSize: SHOWN }],
    `/missions?workspaceId=${encodeURIComponent(workspaceId)}&pageSize=${SHOWN}`,
  );
  const list = missions.data?.missions ?? [];
  const total = missions.data?.total ?? list.length;
  const now = Date.now();
  const canWrite = useCanWrite() !== false;
  const newHere = !canWrite ? null : (
    <Button size="sm" variant="primary" disabled={!canDispatch} onClick={() => openNewMission({ workspaceId })} title={canDispatch ? undefined : 'A destroyed workspace takes no missions.'}>
      New mission here
    </Button>
  );

  return (
    <Panel id="workspace-missions" title="Missions in this workspace" actions={newHere}>
      {missions.isPending ? <Loading label="Loading missions…" /> : null}
      <ErrorNote>{missions.error ? `Could not load the missions: ${missions.error.message}` : null}</ErrorNote>
      {missions.data && list.length === 0 ? (
        <EmptyState title="No missions here yet">
          {canWrite ? (
            <>
              Dispatch one with <strong>New mission here</strong> (or press <kbd className="font-mono">n</kbd>): a shell script or a coding agent, run inside this workspace.
            </>
          ) : (
            'Members of the team dispatch missions here; as a viewer you will see them appear.'
          )}
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="workspace-missions-table">
            <thead>
              <tr className="border-b border-border text-left text-xs text-muted">
                <th scope="col" className="py-1.5 pr-3 font-medium">Status</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Prompt</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Agent</th>
                <th scope="col" className="py-1.5 font-medium">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.map((mission) => (
                <tr key={mission.id} className="border-b border-border last:border-0" data-mission-id={mission.id}>
                  <td className="py-1.5 pr-3">
                    <StatusBadge status={mission.status} />
                  </td>
                  <td className="max-w-md truncate py-1.5 pr-3">
                    <Link href={missionPath(mission.id)} className="font-mono text-xs hover:underline">
                      {firstLine(mission.prompt, 90) || '(empty prompt)'}
                    </Link>
                  </td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{mission.agent}</td>
                  <td className="py-1.5 whitespace-nowrap">
                    <time dateTime={mission.createdAt} title={formatDateTime(mission.createdAt)}>
                      {formatRelative(mission.createdAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > list.length ? (
            <p className="mt-2 text-sm">
              <Link href={`/missions?workspace=${encodeURIComponent(workspaceId)}`} className="hover:underline">
                All {total} missions in this workspace →
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}
