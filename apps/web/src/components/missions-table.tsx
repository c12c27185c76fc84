import Link from 'next/link';
import type { Mission, Workspace } from '../lib/api-types';
import { firstLine, formatDateTime, formatRelative } from '../lib/format';
import { missionPath } from '../lib/paths';
import { StatusBadge } from './status-badge';

interface Props {
  missions: Mission[] | null;
  workspaces: Workspace[] | null;
  loadError: string | null;
  now: number;
  title?: string;
  emptyText?: string;
}

export function MissionsTable({ missions, workspaces, loadError, now, title = 'Recent missions', emptyText = 'No missions yet. Dispatch one above.' }: Props) {
  const workspaceName = new Map(workspaces?.map((workspace) => [workspace.id, workspace.name]));
  return (
    <section className="panel" aria-labelledby="missions-heading">
      <div className="panel-heading">
        <h2 id="missions-heading">{title}</h2>
        <span className="muted small">Refreshes every few seconds</span>
      </div>
      {loadError ? <p className="form-error" role="alert">{loadError}</p> : null}
      {missions === null && !loadError ? <p className="muted">Loading…</p> : null}
      {missions?.length === 0 ? <p className="muted">{emptyText}</p> : null}
      {missions && missions.length > 0 ? (
        <div className="table-scroll">
          <table className="missions-table" data-testid="missions-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Prompt</th>
                <th scope="col">Agent</th>
                <th scope="col">Workspace</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {missions.map((mission) => (
                <tr key={mission.id} data-mission-id={mission.id}>
                  <td>
                    <StatusBadge status={mission.status} />
                  </td>
                  <td className="prompt-cell">
                    <Link href={missionPath(mission.id)} className="prompt-link">
                      {firstLine(mission.prompt, 90) || <em>(empty prompt)</em>}
                    </Link>
                  </td>
                  <td>{mission.agent}</td>
                  <td>{workspaceName.get(mission.workspaceId) ?? <span className="muted">{mission.workspaceId}</span>}</td>
                  <td>
                    <time dateTime={mission.createdAt} title={formatDateTime(mission.createdAt)}>
                      {formatRelative(mission.createdAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
