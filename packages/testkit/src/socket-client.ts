import { io, type Socket } from 'socket.io-client';
import type { MissionEvent, SubscribeAck } from '@garrison/core';

/**
 * A dashboard-like socket client: subscribes from the last seq it holds, and again after every
 * reconnect, exactly as the web app does. `events` is what a person would see.
 */
export class MissionWatcher {
  readonly events: MissionEvent[] = [];
  readonly socket: Socket;
  private lastSeq: number;

  constructor(baseUrl: string, auth: { cookie?: string; token?: string }, readonly missionId: string, afterSeq = 0) {
    this.lastSeq = afterSeq;
    this.socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    this.socket.on('mission:event', (event: MissionEvent) => {
      if (event.missionId !== this.missionId) return;
      this.events.push(event);
      this.lastSeq = event.seq;
    });
    this.socket.on('connect', () => void this.subscribe());
  }

  lastAck: SubscribeAck | null = null;

  private async subscribe(): Promise<void> {
    this.lastAck = await this.socket.emitWithAck('mission:subscribe', { missionId: this.missionId, afterSeq: this.lastSeq });
  }

  has(predicate: (event: MissionEvent) => boolean): boolean {
    return this.events.some(predicate);
  }

  close(): void {
    this.socket.close();
  }
}

/** Joins a workspace's status room and records every status it hears, in order. */
export class WorkspaceWatcher {
  readonly statuses: { status: string; operation: string | null; statusMessage: string | null }[] = [];
  readonly socket: Socket;

  constructor(baseUrl: string, auth: { cookie?: string; token?: string }, readonly workspaceId: string) {
    this.socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
    });
    this.socket.on('workspace:status', (event: { workspaceId: string; status: string; operation: string | null; statusMessage: string | null }) => {
      if (event.workspaceId === this.workspaceId) this.statuses.push({ status: event.status, operation: event.operation, statusMessage: event.statusMessage });
    });
  }

  /** Resolves once joined; the reply carries the status at that moment. */
  join(): Promise<{ ok: boolean; status?: string; code?: string }> {
    return this.socket.emitWithAck('workspace:subscribe', { workspaceId: this.workspaceId });
  }

  close(): void {
    this.socket.close();
  }
}
