import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import {
  SocketEvent,
  SubscribeRequest,
  UnsubscribeRequest,
  teamRoom,
  type SubscribeAck,
} from '@garrison/core';
import { findMissionForTeam, getHeadSeq, listEventsAfter, type Db } from '@garrison/db';
import { resolveCaller } from '../auth/auth.service.ts';
import { SESSION_COOKIE, readCookie, type Caller } from '../auth/caller.ts';
import { MissionSubscription } from './mission-subscription.ts';
import type { SubscriptionRegistry } from './subscription-registry.ts';
import { handleImageRoom } from './image-room.ts';
import { isAllowedSocketOrigin } from './origin-check.ts';
import { handleWorkspaceRooms } from './workspace-room.ts';
import { joinIdentityRooms } from './live-rooms.ts';

interface SocketData {
  caller: Caller;
  subscriptions: Map<string, MissionSubscription>;
}

/**
 * Socket.IO on the API's HTTP server. Authenticated at the handshake by the session cookie or
 * `auth.token`; a client only ever subscribes to missions of its own team.
 */
export function createSocketServer(deps: { httpServer: HttpServer; db: Db; registry: SubscriptionRegistry; log: Logger; corsOrigin?: string }): Server {
  const allowedOrigins = deps.corsOrigin ? [deps.corsOrigin] : [];
  const io = new Server(deps.httpServer, {
    path: '/socket.io',
    serveClient: false,
    allowRequest: (req, callback) => callback(isAllowedSocketOrigin(req, allowedOrigins) ? null : 'origin not allowed', isAllowedSocketOrigin(req, allowedOrigins)),
    cors: deps.corsOrigin ? { origin: deps.corsOrigin, credentials: true } : undefined,
  });

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const caller = await resolveCaller(deps.db, {
        bearerToken: typeof token === 'string' ? token : undefined,
        sessionToken: readCookie(socket.handshake.headers.cookie, SESSION_COOKIE),
      });
      if (!caller) {
        next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
        return;
      }
      (socket.data as SocketData) = { caller, subscriptions: new Map() };
      next();
    } catch (error) {
      next(error as Error);
    }
  });

  io.on('connection', (socket: Socket) => {
    const data = socket.data as SocketData;
    // Team-wide status changes (TeamMission, TeamWorkspace) for the overview and the missions board.
    void socket.join(teamRoom(data.caller.teamId));
    // Found again by user+team and by session when a membership or session ends (live-rooms.ts).
    joinIdentityRooms(socket, data.caller, deps.db).catch((error: unknown) => {
      deps.log.warn({ err: error }, 'identity rooms not joined; dropping the socket');
      socket.disconnect(true);
    });
    handleWorkspaceRooms(socket, data.caller, deps.db);
    handleImageRoom(socket);

    socket.on(SocketEvent.Subscribe, async (raw: unknown, ack?: (reply: SubscribeAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = SubscribeRequest.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, code: 'invalid_input', message: 'Send { missionId, afterSeq }.' });
        return;
      }
      const { missionId, afterSeq } = parsed.data;
      try {
        const mission = await findMissionForTeam(deps.db, data.caller.teamId, missionId);
        if (!mission) {
          reply({ ok: false, code: 'mission_not_found', message: `No mission ${missionId} in your team.` });
          return;
        }
        const previous = data.subscriptions.get(missionId);
        if (previous) deps.registry.remove(previous);
        const subscription = new MissionSubscription(
          missionId,
          afterSeq,
          (event) => socket.emit(SocketEvent.Event, event),
          (id, after, limit) => listEventsAfter(deps.db, id, after, limit),
          mission.prunedThroughSeq ?? 0,
        );
        // Registered before the replay query so nothing committed meanwhile can slip between them.
        deps.registry.add(subscription);
        data.subscriptions.set(missionId, subscription);
        const headSeq = await getHeadSeq(deps.db, missionId);
        reply(mission.prunedThroughSeq ? { ok: true, headSeq, prunedThroughSeq: mission.prunedThroughSeq } : { ok: true, headSeq });
        await subscription.start();
      } catch (error) {
        deps.log.error({ err: error, missionId }, 'subscribe failed');
        reply({ ok: false, code: 'internal_error', message: 'Subscribing failed; try again.' });
      }
    });

    socket.on(SocketEvent.Unsubscribe, (raw: unknown) => {
      const parsed = UnsubscribeRequest.safeParse(raw);
      const subscription = parsed.success ? data.subscriptions.get(parsed.data.missionId) : undefined;
      if (!subscription) return;
      deps.registry.remove(subscription);
      data.subscriptions.delete(subscription.missionId);
    });

    socket.on('disconnect', () => {
      for (const subscription of data.subscriptions.values()) deps.registry.remove(subscription);
      data.subscriptions.clear();
    });
  });

  return io;
}
