import type { OverviewHost } from '@garrison/core';
import { formatBytes, usedPercent } from '../lib/chart-scale';
import { formatRelative } from '../lib/format';
import { cx, Panel } from './ui';

/** A labelled usage bar; `role="meter"` so the number is announced, not only drawn. */
function Meter({ label, percent, detail }: { label: string; percent: number; detail: string }) {
  const tone = percent >= 90 ? 'bg-danger' : percent >= 75 ? 'bg-warn' : 'bg-primary';
  return (
    <div className="min-w-0">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="font-medium">{label}</span>
        <span className="truncate text-muted">{detail}</span>
      </div>
      <div
        className="mt-1 h-2 overflow-hidden rounded-full bg-subtle"
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% (${detail})`}
      >
        <div className={cx('h-full rounded-full', tone)} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function HostCard({ host, now }: { host: OverviewHost; now: number }) {
  const resources = host.resources;
  return (
    <li className={cx('rounded-md border p-3', host.stale ? 'border-warn bg-warn-bg/40' : 'border-border')} data-testid="host" data-host={host.id} data-stale={host.stale}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-mono text-sm font-semibold">{host.hostname}</h3>
        <span className={cx('text-xs', host.stale ? 'font-semibold text-warn' : 'text-muted')}>
          {host.stale ? `Stale: last heartbeat ${formatRelative(host.lastSeenAt, now)}` : `Seen ${formatRelative(host.lastSeenAt, now)}`}
        </span>
      </div>
      <p className="mt-0.5 text-xs text-muted">
        {host.id !== host.hostname ? <span className="font-mono">{host.id}</span> : null}
        {host.id !== host.hostname ? ' · ' : ''}
        {host.dockerVersion ? `Docker ${host.dockerVersion}` : 'Docker not answering'} · capacity {host.capacity}
      </p>
      {resources ? (
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          <Meter
            label="CPU"
            percent={Math.round(resources.cpu.busyPercent ?? Math.min(100, (resources.cpu.load1 / Math.max(resources.cpu.cores, 1)) * 100))}
            detail={`${resources.cpu.busyPercent === null ? '—' : `${resources.cpu.busyPercent}%`} · load ${resources.cpu.load1} on ${resources.cpu.cores} cores`}
          />
          <Meter
            label="Memory"
            percent={usedPercent(resources.memory.totalBytes, resources.memory.availableBytes)}
            detail={`${formatBytes(resources.memory.totalBytes - resources.memory.availableBytes)} of ${formatBytes(resources.memory.totalBytes)}`}
          />
          {resources.disk ? (
            <Meter
              label="Disk"
              percent={usedPercent(resources.disk.totalBytes, resources.disk.freeBytes)}
              detail={`${formatBytes(resources.disk.freeBytes)} free of ${formatBytes(resources.disk.totalBytes)}`}
            />
          ) : (
            <p className="text-xs text-muted">Disk: not measured</p>
          )}
        </div>
      ) : (
        <p className="mt-2 text-xs text-muted">No resource report yet: this worker runs an older version, or has not sent a heartbeat since it started.</p>
      )}
      {resources?.containers ? (
        <p className="mt-2 text-xs text-muted" data-testid="host-containers">
          Containers: <strong className="text-fg">{resources.containers.running}</strong> running of {resources.containers.total} ·{' '}
          <strong className="text-fg">{resources.containers.workspacesRunning}</strong> Garrison workspaces running
        </p>
      ) : resources ? (
        <p className="mt-2 text-xs text-warn">The container engine did not answer at the last heartbeat.</p>
      ) : null}
    </li>
  );
}

/** Each worker's host as its last heartbeat described it; a silent worker is flagged, not hidden. */
export function HostsPanel({ hosts, now }: { hosts: OverviewHost[]; now: number }) {
  const stale = hosts.filter((host) => host.stale).length;
  return (
    <Panel id="hosts" title="Hosts" actions={<span className="text-xs text-muted">{stale > 0 ? `${stale} of ${hosts.length} stale` : `${hosts.length} reporting`}</span>}>
      {hosts.length === 0 ? (
        <p className="text-sm text-muted">No worker has registered yet. Start one (`npm start` or the compose file) and it appears here within seconds.</p>
      ) : (
        <ul className="space-y-2">
          {hosts.map((host) => (
            <HostCard key={host.id} host={host} now={now} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
