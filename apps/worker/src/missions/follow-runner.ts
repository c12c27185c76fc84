import type { Logger } from 'pino';
import type { Db } from '@garrison/db';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { EventIngestor, type PublishEvents } from './event-ingestor.ts';
import { LineReader, parseRunnerLine } from './runner-lines.ts';

export interface FollowRunnerInput {
  db: Db;
  runtime: ContainerRuntime;
  publish: PublishEvents;
  log: Logger;
  containerId: string;
  missionId: string;
  command: string[];
  stdin: string;
  signal: AbortSignal;
  onLaunched(): Promise<void>;
  /** Checked while following: an exec stream is not always told that its container died. */
  isContainerRunning(): Promise<boolean>;
}

const CONTAINER_CHECK_MS = 2000;

export interface FollowOutcome {
  /** The payload of `mission.result` once it is persisted; null when the stream ended before it. */
  result: Record<string, unknown> | null;
  exitCode: number | null;
}

/**
 * Runs `runner launch` (or follow) over exec and persists every line it streams. The exec's stdin
 * stays open for as long as we follow: the runner takes its closing as "the worker is gone".
 */
export async function followRunner(input: FollowRunnerInput): Promise<FollowOutcome> {
  input.log.debug('runner exec starting');
  const session = await input.runtime.execStream(input.containerId, input.command);
  input.log.debug('runner exec started');
  let firstLine = true;
  const ingestor = new EventIngestor(input.db, input.publish, input.missionId, input.log);
  const reader = new LineReader();
  let result: Record<string, unknown> | null = null;
  let badLines = 0;

  const onAbort = (): void => {
    ingestor.stop();
    session.close();
  };
  input.signal.addEventListener('abort', onAbort, { once: true });

  // The runner writes to stderr only when something is wrong; keep the last of it for the log.
  let stderrTail = '';
  session.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  const stdoutEnded = new Promise<void>((resolve) => session.stdout.once('end', resolve));
  session.write(input.stdin);
  const containerCheck = setInterval(() => {
    input.isContainerRunning().then(
      (running) => {
        if (!running) session.close();
      },
      () => {},
    );
  }, CONTAINER_CHECK_MS);
  void input.onLaunched().catch((error: unknown) => input.log.warn({ err: error }, 'pending cancel not delivered'));

  session.stdout.on('data', (chunk: Buffer) => {
    reader.push(chunk, (line) => {
      if (firstLine) {
        firstLine = false;
        input.log.debug('first runner line received');
      }
      const event = parseRunnerLine(line);
      if (!event) {
        badLines += 1;
        if (badLines <= 5) input.log.warn({ line: line.slice(0, 200) }, 'unreadable runner line skipped');
        return;
      }
      if (event.type === 'mission.result') result = event.payload;
      ingestor.push(event, line.length);
    });
    if (ingestor.overHighWater && !session.stdout.isPaused()) {
      session.stdout.pause();
      void ingestor.drain().then(() => session.stdout.resume());
    }
  });

  const exitCode = await session.exited;
  clearInterval(containerCheck);
  input.signal.removeEventListener('abort', onAbort);
  if (input.signal.aborted) return { result: null, exitCode };
  // Lines still queued in the demuxed stream (paused by backpressure) come before the end.
  await stdoutEnded;
  await ingestor.drain();
  if (!result && stderrTail) input.log.warn({ exitCode, stderr: stderrTail }, 'runner ended without a result');
  return { result, exitCode };
}
