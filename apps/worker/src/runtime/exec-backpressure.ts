import type { Duplex, Writable } from 'node:stream';

/**
 * dockerode's demuxStream writes every frame into our output streams without looking at their
 * backpressure, so a reader that pauses (the event ingestor while Postgres lags behind a flood)
 * would only move the flood into this process's memory. Holding the exec socket instead lets
 * TCP push back on the engine and on the runner's follower in the container, which just waits:
 * the mission's log on the volume keeps everything. Register after demuxStream, so this runs
 * after each chunk was written.
 */
export function holdSocketWhileLagging(socket: Duplex, outputs: Writable[]): void {
  socket.on('data', () => {
    const lagging = outputs.find((output) => output.writableNeedDrain);
    if (!lagging || socket.isPaused()) return;
    socket.pause();
    lagging.once('drain', () => socket.resume());
  });
}
