import type { Redis } from 'ioredis';
import { DISPATCH_LATENCY_BUCKETS_SECONDS, HEARTBEAT_INTERVAL_MS, HOST_STALE_INTERVALS, HostResources, storedEventsCounterKey } from '@garrison/core';
import { countMissionsByStatus, listWorkerHostsSeenSince, measureDispatchLatency, type Db } from '@garrison/db';

/** Job counts of one BullMQ queue by state (waiting, prioritized, delayed, active, failed). */
export type QueueCounts = Record<string, Record<string, number>>;

export interface MetricsDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  /** Counts of the API's own queues (the per-host request/response queues are not depth). */
  queueCounts: () => Promise<QueueCounts>;
}

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

/** One metric family in the Prometheus text exposition format (version 0.0.4). */
function family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: Array<Sample & { suffix?: string }>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const sample of samples) {
    const labels = Object.entries(sample.labels ?? {}).map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
    lines.push(`${name}${sample.suffix ?? ''}${labels.length ? `{${labels.join(',')}}` : ''} ${Number.isFinite(sample.value) ? sample.value : 0}`);
  }
  return lines.join('\n');
}

/**
 * Everything `/metrics` reports, read at scrape time from where it already lives: queue depth
 * from BullMQ, missions and dispatch latency from Postgres, stored events from the workers'
 * Redis counter, containers from the workers' last heartbeats (WorkerHost.resources).
 */
export async function renderMetrics(deps: MetricsDeps): Promise<string> {
  const staleBefore = new Date(Date.now() - HEARTBEAT_INTERVAL_MS * HOST_STALE_INTERVALS);
  const [queues, missions, latency, storedEvents, hosts] = await Promise.all([
    deps.queueCounts(),
    countMissionsByStatus(deps.db),
    measureDispatchLatency(deps.db, DISPATCH_LATENCY_BUCKETS_SECONDS),
    deps.redis.get(storedEventsCounterKey(deps.redisPrefix)),
    listWorkerHostsSeenSince(deps.db, staleBefore),
  ]);

  const queueSamples = Object.entries(queues).flatMap(([queue, counts]) => Object.entries(counts).map(([state, value]) => ({ labels: { queue, state }, value })));
  const containers = hosts.flatMap((host) => {
    const parsed = HostResources.safeParse(host.resources);
    const counts = parsed.success ? parsed.data.containers : null;
    if (!counts) return [];
    return [
      { labels: { host: host.id, kind: 'running' }, value: counts.running },
      { labels: { host: host.id, kind: 'total' }, value: counts.total },
      { labels: { host: host.id, kind: 'workspaces_running' }, value: counts.workspacesRunning },
    ];
  });

  return [
    family('garrison_queue_jobs', 'gauge', 'Jobs in each queue by state; waiting + prioritized + delayed is the depth.', queueSamples),
    family('garrison_missions_running', 'gauge', 'Missions whose agent is running now.', [{ value: missions.running ?? 0 }]),
    family(
      'garrison_missions',
      'gauge',
      'Missions by status.',
      Object.entries(missions).map(([status, value]) => ({ labels: { status }, value })),
    ),
    family('garrison_events_stored_total', 'counter', 'Mission events stored (by the workers and the api, counted after each commit); rate() of it is the ingest rate.', [{ value: Number(storedEvents ?? 0) }]),
    family('garrison_dispatch_latency_seconds', 'histogram', 'Time from a mission being queued to its agent first running.', [
      ...DISPATCH_LATENCY_BUCKETS_SECONDS.map((le, i) => ({ suffix: '_bucket', labels: { le: String(le) }, value: latency.buckets[i] ?? 0 })),
      { suffix: '_bucket', labels: { le: '+Inf' }, value: latency.count },
      { suffix: '_sum', value: latency.sumSeconds },
      { suffix: '_count', value: latency.count },
    ]),
    family('garrison_worker_hosts', 'gauge', 'Worker hosts with a recent heartbeat.', [{ value: hosts.length }]),
    family('garrison_containers', 'gauge', "Containers on each worker host's Docker engine, from its last heartbeat.", containers),
  ].join('\n\n') + '\n';
}
