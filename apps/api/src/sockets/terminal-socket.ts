import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import {
  TERMINAL_LEASE_MS,
  TerminalCloseRequest,
  TerminalEvent,
  TerminalInputRequest,
  TerminalOpenRequest,
  TerminalResizeRequest,
  TerminalStreamMessage,
  isDomainError,
  terminalChannel,
  terminalRoom,
  type TerminalControlMessage,
  type TerminalExitMessage,
  type TerminalOpenAck,
} from '@garrison/core';
import { audit } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { attachTerminal, authorizeTerminal, renewTerminalLeases, type TerminalServiceDeps } from '../terminals/terminal.service.ts';

interface LocalAttach {
  socket: Socket;
  attachId: string;
  workspaceId: string;
  paused: boolean;
  /** Closed by its user: audited then, not again when the socket goes. */
  closed?: boolean;
}

/** Socket.IO packets waiting for the browser before we ask the worker to stop reading the TTY. */
const BACKLOG_PACKETS = 64;

/**
 * The web terminal on this API node: `terminal:*` socket events, authorized per workspace of the
 * caller's team, relayed to the worker over the session's Redis channels; output comes back on
 * `<prefix>:terminal:*:out` (pattern-subscribed by every node) and goes to the `terminal:<id>`
 * room, which only the socket that opened or last reattached the session is in.
 */
export async function attachTerminalSockets(
  io: Server,
  deps: TerminalServiceDeps & { subscriber: Redis; log: Logger },
): Promise<{ close(): Promise<void> }> {
  const local = new Map<string, LocalAttach>();
  const outPattern = terminalChannel(deps.redisPrefix, '*', 'out');
  const channelStart = terminalChannel(deps.redisPrefix, '', 'out').indexOf('::') + 1;

  const publish = (sessionId: string, kind: 'in' | 'ctl', message: object): void => {
    deps.redis.publish(terminalChannel(deps.redisPrefix, sessionId, kind), JSON.stringify(message)).catch((error: unknown) => {
      deps.log.warn({ err: error, sessionId }, 'terminal message not published');
    });
  };
  const control = (sessionId: string, message: TerminalControlMessage): void => publish(sessionId, 'ctl', message);

  const release = (sessionId: string, attach: LocalAttach): void => {
    if (local.get(sessionId) !== attach) return;
    local.delete(sessionId);
    void attach.socket.leave(terminalRoom(sessionId));
  };

  deps.subscriber.on('pmessage', (_pattern: string, channel: string, raw: string) => {
    const sessionId = channel.slice(channelStart, -':out'.length);
    const attach = local.get(sessionId);
    if (!attach) return;
    let message: TerminalStreamMessage;
    try {
      message = TerminalStreamMessage.parse(JSON.parse(raw));
    } catch {
      return;
    }
    if (message.attachId !== attach.attachId && message.attachId !== '*') return;
    const room = io.to(terminalRoom(sessionId));
    if (message.type === 'output') {
      room.emit(TerminalEvent.Output, { sessionId, data: message.data });
      throttle(sessionId, attach);
      return;
    }
    const exit: TerminalExitMessage = { sessionId, code: message.code, reason: message.reason, message: message.message };
    room.emit(TerminalEvent.Exit, exit);
    // `lost`: the shell lives on and the client reattaches through the same socket.
    if (message.reason !== 'lost') release(sessionId, attach);
  });
  await deps.subscriber.psubscribe(outPattern);

  /** A browser that cannot keep up (a `yes` in the shell) makes the worker stop reading; tmux redraws later. */
  const throttle = (sessionId: string, attach: LocalAttach): void => {
    const backlog = (attach.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
    if (attach.paused || backlog < BACKLOG_PACKETS) return;
    attach.paused = true;
    control(sessionId, { type: 'pause', attachId: attach.attachId });
    attach.socket.conn.once('drain', () => {
      attach.paused = false;
      if (local.get(sessionId) === attach) control(sessionId, { type: 'resume', attachId: attach.attachId });
    });
  };

  const leaseTimer = setInterval(() => {
    renewTerminalLeases(deps, [...local.keys()]).catch((error: unknown) => deps.log.warn({ err: error }, 'terminal leases not renewed'));
  }, TERMINAL_LEASE_MS / 3);

  io.on('connection', (socket: Socket) => {
    const caller = (socket.data as { caller?: Caller }).caller;
    if (!caller) return;
    // Socket events have no HTTP request id: one per connection ties a terminal's open and close rows.
    const requestId = randomUUID();
    const auditClose = (sessionId: string, attach: LocalAttach, how: 'closed' | 'detached'): void => {
      audit(deps.db, caller, { action: 'terminal.close', target: ['workspace', attach.workspaceId], requestId, metadata: { sessionId, how } }).catch((error: unknown) =>
        deps.log.warn({ err: error, sessionId }, 'terminal close not audited'),
      );
    };
    const held = (sessionId: string): LocalAttach | null => {
      const attach = local.get(sessionId);
      return attach?.socket === socket ? attach : null;
    };

    socket.on(TerminalEvent.Open, async (raw: unknown, ack?: (reply: TerminalOpenAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = TerminalOpenRequest.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, code: 'invalid_input', message: 'Send { workspaceId, sessionId?, cols, rows }.' });
        return;
      }
      try {
        const session = await authorizeTerminal(deps, caller, parsed.data);
        const previous = local.get(session.sessionId);
        if (previous && previous.socket !== socket) {
          previous.socket.emit(TerminalEvent.Exit, { sessionId: session.sessionId, code: null, reason: 'detached', message: 'This terminal was opened in another tab or window.' } satisfies TerminalExitMessage);
          release(session.sessionId, previous);
        }
        // In the room before the worker attaches: the reattach redraw is its very first output.
        const attach: LocalAttach = { socket, attachId: session.attachId, workspaceId: session.workspace.id, paused: false };
        local.set(session.sessionId, attach);
        await socket.join(terminalRoom(session.sessionId));
        try {
          await attachTerminal(deps, caller, session, { cols: parsed.data.cols, rows: parsed.data.rows }, requestId);
        } catch (error) {
          release(session.sessionId, attach);
          throw error;
        }
        reply({ ok: true, sessionId: session.sessionId, reattached: session.reattached });
      } catch (error) {
        if (isDomainError(error)) {
          reply({ ok: false, code: error.code, message: error.message });
          return;
        }
        deps.log.error({ err: error }, 'terminal open failed');
        reply({ ok: false, code: 'internal_error', message: 'Opening the terminal failed; try again.' });
      }
    });

    socket.on(TerminalEvent.Input, (raw: unknown) => {
      const parsed = TerminalInputRequest.safeParse(raw);
      const attach = parsed.success ? held(parsed.data.sessionId) : null;
      if (parsed.success && attach) publish(parsed.data.sessionId, 'in', { attachId: attach.attachId, data: parsed.data.data });
    });

    socket.on(TerminalEvent.Resize, (raw: unknown) => {
      const parsed = TerminalResizeRequest.safeParse(raw);
      const attach = parsed.success ? held(parsed.data.sessionId) : null;
      if (parsed.success && attach) control(parsed.data.sessionId, { type: 'resize', attachId: attach.attachId, cols: parsed.data.cols, rows: parsed.data.rows });
    });

    socket.on(TerminalEvent.Close, async (raw: unknown) => {
      const parsed = TerminalCloseRequest.safeParse(raw);
      const attach = parsed.success ? held(parsed.data.sessionId) : null;
      if (!parsed.success || !attach) return;
      control(parsed.data.sessionId, { type: 'close', attachId: attach.attachId });
      if (!attach.closed) auditClose(parsed.data.sessionId, attach, 'closed');
      attach.closed = true;
      await renewTerminalLeases(deps, [parsed.data.sessionId], 0).catch(() => {});
    });

    socket.on('disconnect', () => {
      const mine = [...local.entries()].filter(([, attach]) => attach.socket === socket);
      for (const [sessionId, attach] of mine) {
        control(sessionId, { type: 'detach', attachId: attach.attachId });
        if (!attach.closed) auditClose(sessionId, attach, 'detached');
        release(sessionId, attach);
      }
      // The idle clock of each session starts now.
      renewTerminalLeases(deps, mine.map(([sessionId]) => sessionId), Date.now()).catch(() => {});
    });
  });

  return {
    async close() {
      clearInterval(leaseTimer);
      await deps.subscriber.punsubscribe(outPattern).catch(() => {});
      deps.subscriber.disconnect();
    },
  };
}
