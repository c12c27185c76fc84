import type { Server, Socket } from 'socket.io';
import { IMAGES_ROOM, ImageProgressEvent, SocketEvent } from '@garrison/core';

/** Image builds are installation-wide and hold no team data: any signed-in socket may watch. */
export function handleImageRoom(socket: Socket): void {
  socket.on(SocketEvent.ImagesSubscribe, async (_raw: unknown, ack?: (reply: { ok: true }) => void) => {
    await socket.join(IMAGES_ROOM);
    if (typeof ack === 'function') ack({ ok: true });
  });
}

export function relayImageProgress(io: Server, message: string): void {
  const parsed = ImageProgressEvent.safeParse(JSON.parse(message));
  if (parsed.success) io.to(IMAGES_ROOM).emit(SocketEvent.ImageProgress, parsed.data);
}
