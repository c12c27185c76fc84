import { io } from 'socket.io-client';
import { SocketEvent, type MissionEvent, type SubscribeAck } from '@garrison/core';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface MissionStreamHandlers {
  /** The seq to continue after: every event up to it is already held. */
  afterSeq(): number;
  onEvent(event: MissionEvent): void;
  onConnection(state: ConnectionState): void;
  /** The server refused the connection or the subscription (`unauthenticated`, `mission_not_found`...). */
  onProblem(code: string, message: string): void;
  /** `prunedThroughSeq`: event retention deleted most events up to it (holes there are final). */
  onSubscribed(headSeq: number, prunedThroughSeq: number): void;
}

export interface MissionStream {
  close(): void;
  /** Drops the transport as a network failure would; the client reconnects by itself. */
  dropConnection(): void;
  transport(): string | null;
}

const ACK_TIMEOUT_MS = 15_000;
const RETRY_AFTER_MS = 2_000;
/** Refusals that asking again cannot fix. */
const FINAL_REFUSALS = new Set(['mission_not_found', 'invalid_input', 'unauthenticated', 'forbidden']);

/**
 * Follows one mission over Socket.IO on this origin (proxied to the API, see next.config.ts).
 * On every connect, first or re-, it subscribes with the last seq it holds; the server replays
 * what is missing from Postgres and then streams live, so a dropped connection leaves no gap.
 * Duplicates are possible around a reconnect and are for the caller to drop by seq.
 */
export function openMissionStream(missionId: string, handlers: MissionStreamHandlers): MissionStream {
  const socket = io({
    path: '/socket.io',
    // Long-polling first, then upgrade to a WebSocket. Through the Next proxy both work; starting
    // on polling keeps the page live behind a proxy that refuses upgrades.
    transports: ['polling', 'websocket'],
    upgrade: true,
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
  });
  let everConnected = false;
  let subscribed = false;
  let attempt = 0;
  let closed = false;

  const report = (): void => {
    if (closed) return;
    if (socket.connected && subscribed) handlers.onConnection('connected');
    else if (!navigator.onLine) handlers.onConnection('offline');
    else handlers.onConnection(everConnected ? 'reconnecting' : 'connecting');
  };

  const subscribe = async (): Promise<void> => {
    const mine = ++attempt;
    subscribed = false;
    try {
      const ack = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(SocketEvent.Subscribe, { missionId, afterSeq: handlers.afterSeq() })) as SubscribeAck;
      if (mine !== attempt || closed) return;
      if (ack.ok) {
        subscribed = true;
        handlers.onSubscribed(ack.headSeq, ack.prunedThroughSeq ?? 0);
      } else {
        handlers.onProblem(ack.code, ack.message);
        // A passing failure on the server (its database, say): ask again shortly.
        if (!FINAL_REFUSALS.has(ack.code)) {
          setTimeout(() => {
            if (mine === attempt && !closed && socket.connected) void subscribe();
          }, RETRY_AFTER_MS);
        }
      }
    } catch {
      // No answer in time. If the connection is still up, ask again; if not, `connect` will.
      if (mine === attempt && !closed && socket.connected) void subscribe();
      return;
    }
    report();
  };

  socket.on('connect', () => {
    everConnected = true;
    report();
    void subscribe();
  });
  socket.on(SocketEvent.Event, (event: MissionEvent) => {
    if (event.missionId === missionId) handlers.onEvent(event);
  });
  socket.on('disconnect', (reason) => {
    subscribed = false;
    attempt += 1;
    report();
    // The server hung up on purpose (e.g. a revoked session); the client does not retry that on
    // its own. Reconnecting re-runs authentication, which reports `unauthenticated` if so.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.message === 'unauthenticated' || error.data?.code === 'unauthenticated') {
      handlers.onProblem('unauthenticated', 'Your session has ended; sign in again.');
    }
    report();
  });

  const onNetworkChange = (): void => report();
  // The browser says the network is gone: an open WebSocket may still look connected (nothing
  // tells it otherwise until the ping times out, up to 45 s), but it delivers nothing. Drop it,
  // so the page says offline now and resubscribes from its last seq as soon as it can.
  const onOffline = (): void => {
    socket.io.engine?.close();
    report();
  };
  window.addEventListener('online', onNetworkChange);
  window.addEventListener('offline', onOffline);

  return {
    close() {
      closed = true;
      window.removeEventListener('online', onNetworkChange);
      window.removeEventListener('offline', onOffline);
      socket.close();
    },
    dropConnection() {
      socket.io.engine?.close();
    },
    transport() {
      return socket.connected ? (socket.io.engine?.transport?.name ?? null) : null;
    },
  };
}
