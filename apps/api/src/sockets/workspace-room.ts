import type { Server, Socket } from 'socket.io';
import { SocketEvent, WorkspaceInitOutputEvent, WorkspaceStatusEvent, WorkspaceSubscribeRequest, workspaceRoom } from '@garrison/core';
import { findWorkspaceForTeam, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { relayTeamWorkspace } from './team-room.ts';

type Ack = (reply: { ok: true; status: string } | { ok: false; code: string; message: string }) => void;

/** Lets a socket join the status room of a workspace of its own team, and leave it. */
export function handleWorkspaceRooms(socket: Socket, caller: Caller, db: Db): void {
  socket.on(SocketEvent.WorkspaceSubscribe, async (raw: unknown, ack?: Ack) => {
    const reply: Ack = typeof ack === 'function' ? ack : () => {};
    const parsed = WorkspaceSubscribeRequest.safeParse(raw);
    if (!parsed.success) {
      reply({ ok: false, code: 'invalid_input', message: 'Send { workspaceId }.' });
      return;
    }
    const workspace = await findWorkspaceForTeam(db, caller.teamId, parsed.data.workspaceId).catch(() => null);
    if (!workspace) {
      reply({ ok: false, code: 'workspace_not_found', message: `No workspace ${parsed.data.workspaceId} in your team.` });
      return;
    }
    await socket.join(workspaceRoom(workspace.id));
    reply({ ok: true, status: workspace.status });
  });
  socket.on(SocketEvent.WorkspaceUnsubscribe, async (raw: unknown) => {
    const parsed = WorkspaceSubscribeRequest.safeParse(raw);
    if (parsed.success) await socket.leave(workspaceRoom(parsed.data.workspaceId));
  });
}

/** Relays a stored status change, or init script output, from the worker to the workspace's room (status changes to the team's room too). */
export function relayWorkspaceStatus(io: Server, message: string): void {
  const value: unknown = JSON.parse(message);
  const output = WorkspaceInitOutputEvent.safeParse(value);
  if (output.success) {
    io.to(workspaceRoom(output.data.workspaceId)).emit(SocketEvent.WorkspaceInitOutput, output.data);
    return;
  }
  const parsed = WorkspaceStatusEvent.safeParse(value);
  if (!parsed.success) return;
  io.to(workspaceRoom(parsed.data.workspaceId)).emit(SocketEvent.WorkspaceStatus, parsed.data);
  relayTeamWorkspace(io, parsed.data);
}
