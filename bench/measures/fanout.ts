import { workspaceContainerName } from '@garrison/core';
import { postMission, type BenchContext } from '../lib/context.ts';
import { tsMs, within } from '../lib/clock.ts';
import { cpuDuring } from '../lib/cpu.ts';
import { execToEnd } from '../lib/docker.ts';
import { EventStream } from '../lib/event-stream.ts';
import { summarize } from '../lib/stats.ts';

/**
 * `fanout_p99_ms`: `clients` raw Socket.IO clients (one connection each, the session cookie)
 * subscribed to one mission that prints `lines` timestamps. The mission waits for a go-file that
 * is created only once every client's subscription was acknowledged, so no latency includes a
 * replay from Postgres. Latency = receive time here - the event's `ts` (runner clock, same host).
 * All clients live in this one Node process, so the tail also holds this process's own queueing.
 */
export async function measureFanout(ctx: BenchContext, workspaceId: string, clients: number, lines: number) {
  const { result, cpu_ms } = await cpuDuring(ctx.fixture, [workspaceContainerName(workspaceId)], () => fanOutOnce(ctx, workspaceId, clients, lines));
  return { ...result, cpu_ms };
}

async function fanOutOnce(ctx: BenchContext, workspaceId: string, clients: number, lines: number) {
  const goFile = `/workspace/.bench-go-${Date.now()}`;
  const prompt = `while [ ! -e ${goFile} ]; do sleep 0.02; done; for i in $(seq 1 ${lines}); do date +%s%3N; sleep 0.01; done`;
  const missionId = await postMission(ctx, workspaceId, prompt);
  const sinceTs: number[] = [];
  const sincePrint: number[] = [];
  const streams = await Promise.all(Array.from({ length: clients }, () => EventStream.open(ctx.apiUrl, ctx.cookie)));
  try {
    const trackers = await Promise.all(
      streams.map((stream) =>
        stream.track(missionId, {
          keep: false,
          onEvent: ({ event, at }) => {
            if (event.type !== 'process.output') return;
            sinceTs.push(at - tsMs(event.ts));
            sincePrint.push(at - Number(event.payload.text));
          },
        }),
      ),
    );
    ctx.progress(`fanout: ${clients} clients subscribed; releasing the mission`);
    await execToEnd(workspaceContainerName(workspaceId), ['touch', goFile]);
    await within(Promise.all(trackers.map((t) => t.ended())), 120_000, 'every fanout client to see the mission end');
    if (trackers.some((t) => t.endStatus !== 'completed' || t.outOfOrder !== 0)) throw new Error('bench: a fanout client saw a failed mission or a gap');
    if (sinceTs.length !== clients * lines) throw new Error(`bench: fanout delivered ${sinceTs.length} of ${clients * lines} output events`);
  } finally {
    for (const stream of streams) stream.close();
  }
  const latency = summarize(sinceTs);
  return {
    ...latency,
    value: latency.p99,
    unit: 'ms',
    clients,
    events_per_client: lines,
    basis: 'per client per process.output event: receive time in the bench process - event ts (written by the runner); p50/p95/p99 over all deliveries',
    since_print: { ...summarize(sincePrint), basis: 'receive time - the time `date` printed (adds the runner reading the pipe and writing its log)' },
  };
}
