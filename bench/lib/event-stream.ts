import { io, type Socket } from 'socket.io-client';
import { SocketEvent, isTerminalStatus, type MissionEvent, type MissionStatus, type SubscribeAck, type WorkspaceStatusEvent } from '@garrison/core';
import { wallNow } from './clock.ts';

export interface Received {
  event: MissionEvent;
  /** Wall-clock ms at which this process saw the event. */
  at: number;
}

/**
 * One mission as a socket client sees it. Keeps every event unless told not to (the ingest
 * figure receives 200k of them and only needs counts and times).
 */
export class MissionTracker {
  readonly events: Received[] = [];
  count = 0;
  lastSeq = 0;
  outOfOrder = 0;
  lastAt = 0;
  firstOutputAt: number | null = null;
  endedAt: number | null = null;
  endStatus: string | null = null;
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(readonly missionId: string, private readonly keep: boolean, private readonly onEvent?: (received: Received) => void) {}

  receive(event: MissionEvent, at: number): void {
    if (event.seq !== this.lastSeq + 1) this.outOfOrder += 1;
    this.lastSeq = event.seq;
    this.count += 1;
    this.lastAt = at;
    if (this.keep) this.events.push({ event, at });
    if (this.firstOutputAt === null && event.type === 'process.output') this.firstOutputAt = at;
    if (event.type === 'mission.status' && isTerminalStatus(event.payload.status as MissionStatus)) {
      this.endedAt = at;
      this.endStatus = event.payload.status as string;
    }
    this.onEvent?.({ event, at });
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves as soon as `check` holds after some event (or at once if it already does). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  firstOutput(): Promise<number> {
    return this.until(() => this.firstOutputAt !== null).then(() => this.firstOutputAt!);
  }

  ended(): Promise<number> {
    return this.until(() => this.endedAt !== null).then(() => this.endedAt!);
  }
}

/** A workspace's status as its socket room tells it. */
export class WorkspaceWatch {
  status: string | null = null;
  /** True when the status was only learned from the subscribe ack, not from a live event. */
  fromAck = false;
  private readonly waiters: { status: string; resolve: (at: number) => void; reject: (error: Error) => void }[] = [];

  constructor(readonly workspaceId: string) {}

  receive(status: string, at: number, fromAck = false): void {
    this.status = status;
    this.fromAck = fromAck;
    for (const waiter of [...this.waiters]) {
      if (status === waiter.status) waiter.resolve(at);
      else if (status === 'error') waiter.reject(new Error(`bench: workspace ${this.workspaceId} went to error instead of ${waiter.status}`));
      else continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
    }
  }

  /** Resolves with the receive time of the next `status` (at once if it already is). */
  reach(status: string): Promise<number> {
    if (this.status === status) return Promise.resolve(wallNow());
    return new Promise((resolve, reject) => this.waiters.push({ status, resolve, reject }));
  }
}

/**
 * A raw Socket.IO client on the session cookie, like the dashboard's, but with one connection
 * for many missions and no reconnect: a dropped connection would skew every figure, so it fails.
 */
export class EventStream {
  private readonly trackers = new Map<string, MissionTracker>();
  private closed = false;

  private readonly workspaces = new Map<string, WorkspaceWatch>();

  private constructor(private readonly socket: Socket) {
    socket.on(SocketEvent.Event, (event: MissionEvent) => this.trackers.get(event.missionId)?.receive(event, wallNow()));
    socket.on(SocketEvent.WorkspaceStatus, (event: WorkspaceStatusEvent) => this.workspaces.get(event.workspaceId)?.receive(event.status, wallNow()));
  }

  static open(apiUrl: string, cookie: string): Promise<EventStream> {
    const socket = io(apiUrl, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        const stream = new EventStream(socket);
        socket.on('disconnect', (reason) => {
          if (!stream.closed) process.stderr.write(`bench: socket disconnected (${reason}); figures after this are invalid\n`);
        });
        resolve(stream);
      });
      socket.once('connect_error', (error) => reject(new Error(`bench: socket connect failed: ${error.message}`)));
    });
  }

  async track(missionId: string, options: { keep?: boolean; onEvent?: (received: Received) => void } = {}): Promise<MissionTracker> {
    const tracker = new MissionTracker(missionId, options.keep ?? true, options.onEvent);
    this.trackers.set(missionId, tracker);
    const ack = (await this.socket.emitWithAck(SocketEvent.Subscribe, { missionId, afterSeq: 0 })) as SubscribeAck;
    if (!ack.ok) throw new Error(`bench: subscribe to ${missionId} refused: ${ack.code} ${ack.message}`);
    return tracker;
  }

  /** Joins a workspace's status room; the ack carries the status at that moment. */
  async watchWorkspace(workspaceId: string): Promise<WorkspaceWatch> {
    const watch = new WorkspaceWatch(workspaceId);
    this.workspaces.set(workspaceId, watch);
    const ack = (await this.socket.emitWithAck(SocketEvent.WorkspaceSubscribe, { workspaceId })) as { ok: true; status: string } | { ok: false; code: string; message: string };
    if (!ack.ok) throw new Error(`bench: workspace subscribe to ${workspaceId} refused: ${ack.code} ${ack.message}`);
    watch.receive(ack.status, wallNow(), true);
    return watch;
  }

  unwatchWorkspace(workspaceId: string): void {
    this.workspaces.delete(workspaceId);
    this.socket.emit(SocketEvent.WorkspaceUnsubscribe, { workspaceId });
  }

  untrack(missionId: string): void {
    this.trackers.delete(missionId);
    this.socket.emit(SocketEvent.Unsubscribe, { missionId });
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}
