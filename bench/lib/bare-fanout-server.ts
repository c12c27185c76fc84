/**
 * The fan-out floor's server, run as its own process like the api: a bare Socket.IO server that
 * relays every message of one Redis channel to every connected client. No auth, no rooms, no
 * Postgres, no seq bookkeeping: what the transport Garrison fans out on costs by itself.
 * Prints `{"port":N}` once it listens; ends on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const channel = process.env.FANOUT_CHANNEL;
if (!channel) throw new Error('FANOUT_CHANNEL is required');

const httpServer = createServer();
const io = new Server(httpServer, { path: '/socket.io', serveClient: false });
const subscriber = new Redis(redisUrl);
await subscriber.subscribe(channel);
// Parsed and emitted one event at a time, as the api hands a published batch to its sockets.
subscriber.on('message', (_channel: string, message: string) => {
  for (const event of (JSON.parse(message) as { events: unknown[] }).events) io.emit('m', event);
});
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ port: (httpServer.address() as AddressInfo).port })}\n`);
process.once('SIGTERM', () => {
  subscriber.disconnect();
  void io.close();
  process.exit(0);
});
