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
