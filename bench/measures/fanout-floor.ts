import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { REPO_ROOT, TEST_REDIS_URL } from '@garrison/testkit';
import type { BenchContext } from '../lib/context.ts';
import { wallNow, within } from '../lib/clock.ts';
import { floorOf } from '../lib/stats.ts';

/** The mission of the fan-out figure prints a line every 10 ms; the floor offers the same load. */
const PACE_MS = 10;

/**
 * Floor of `fanout_p99_ms`: the same number of Socket.IO clients in this process, each on its
 * own connection to a bare Socket.IO server (its own process, bench/lib/bare-fanout-server.ts)
 * that relays a Redis channel; `lines` event-shaped messages published one every 10 ms. Latency =
 * receive time - publish time: Redis pub/sub plus Socket.IO to every client, nothing of Garrison.
 */
export async function measureFanoutFloor(ctx: BenchContext, clients: number, lines: number) {
  const channel = `${ctx.fixture.stack.redisPrefix}:bench-fanout-floor`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-fanout-server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, REDIS_URL: TEST_REDIS_URL, FANOUT_CHANNEL: channel },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const publisher = new Redis(TEST_REDIS_URL);
  const sockets: Socket[] = [];
  try {
    const firstLine = createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next();
    const { port } = JSON.parse((await within(firstLine, 30_000, 'the bare fan-out server to listen')).value as string) as { port: number };
    const latencies: number[] = [];
    const all = clients * lines;
    let allReceived!: () => void;
    const received = new Promise<void>((resolve) => (allReceived = resolve));
    for (let i = 0; i < clients; i += 1) {
      const socket = io(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], reconnection: false });
      socket.on('m', (event: { at: number }) => {
        if (latencies.push(wallNow() - event.at) === all) allReceived();
      });
      sockets.push(socket);
    }
    await within(Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.once('connect', () => resolve())))), 30_000, 'the floor clients to connect');
    ctx.progress(`fanout floor: ${clients} clients on a bare Socket.IO server; publishing ${lines} events`);
    for (let seq = 1; seq <= lines; seq += 1) {
      const event = { missionId: 'bench-floor', seq, ts: new Date().toISOString(), type: 'process.output', payload: { stream: 'stdout', text: String(Date.now()) }, at: wallNow() };
      await publisher.publish(channel, JSON.stringify({ missionId: 'bench-floor', events: [event] }));
      // Pacing, not waiting for anything: the figure's mission offers one line per 10 ms too.
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    await within(received, 60_000, `all ${all} floor deliveries`);
    return floorOf('socketio_redis_fanout_ms', `bare Socket.IO server (own process) relaying a Redis channel to ${clients} clients, ${lines} events one every ${PACE_MS} ms: receive - publish time`, latencies);
  } finally {
    for (const socket of sockets) socket.close();
    publisher.disconnect();
    server.kill('SIGTERM');
    await exited;
  }
}
