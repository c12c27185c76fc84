import { appendFileSync, closeSync, existsSync, openSync, readSync, writeFileSync } from 'node:fs';
import { EventLog } from './event-log.ts';
import { isSupervisorAlive, type MissionFiles } from './mission-files.ts';
import { createWaker, type Waker } from './waker.ts';

const READ_CHUNK = 1024 * 1024;
const POLL_MS = 100;
const LIVENESS_CHECK_MS = 1000;
/** How long a launch may take to create the log before the follower gives up on it. */
const LOG_APPEAR_TIMEOUT_MS = 15_000;

export interface FollowOptions {
  /** Woken by the in-process supervisor on every write; a separate follower uses inotify. */
  waker?: Waker;
  /** A plain follower exits with its worker; the launching supervisor must outlive it. */
  exitWhenWorkerGone?: boolean;
}

/**
 * Streams the mission's event log to stdout from after `afterSeq`, then keeps tailing until the
 * `mission.result` line. The worker runs this over `docker exec`; when the worker goes away its
 * stdin closes and streaming stops, while the supervisor and the log carry on.
 */
export async function follow(files: MissionFiles, missionId: string, afterSeq: number, options: FollowOptions = {}): Promise<number> {
  const waker = options.waker ?? createWaker();
  let workerGone = false;
  const onWorkerGone = (): void => {
    if (options.exitWhenWorkerGone !== false) process.exit(0);
    workerGone = true;
    waker.wake();
  };
  process.stdin.on('end', onWorkerGone);
  process.stdin.on('close', onWorkerGone);
  process.stdout.on('error', onWorkerGone);
  process.stdin.resume();

  if (!(await waitForLog(files))) {
    process.stderr.write(`no event log for mission ${missionId} and no supervisor running\n`);
    return 3;
  }

  const fd = openSync(files.events, 'r');
  const buffer = Buffer.alloc(READ_CHUNK);
  let position = 0;
  let carry = '';
  const seen = { lastSeq: 0 };
  let lastLivenessCheck = Date.now();
  waker.watchFile(files.events);
  try {
    while (!workerGone) {
      const bytesRead = readSync(fd, buffer, 0, READ_CHUNK, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const text = carry + buffer.toString('utf8', 0, bytesRead);
        const lastNewline = text.lastIndexOf('\n');
        carry = text.slice(lastNewline + 1);
        if (lastNewline >= 0 && (await emitLines(text.slice(0, lastNewline), afterSeq, seen))) return 0;
        continue;
      }
      if (Date.now() - lastLivenessCheck > LIVENESS_CHECK_MS) {
        lastLivenessCheck = Date.now();
        // Everything written is read by now, so seen.lastSeq is the log's last seq.
        if (!isSupervisorAlive(files)) finalizeLostRunner(files, missionId, seen.lastSeq, carry !== '');
      }
      await waker.next(POLL_MS);
    }
    return 0;
  } finally {
    waker.close();
    closeSync(fd);
  }
}

/** Writes the lines after `afterSeq`; true once the terminal line went out. */
async function emitLines(block: string, afterSeq: number, seen: { lastSeq: number }): Promise<boolean> {
  let out = '';
  let done = false;
  for (const line of block.split('\n')) {
    if (!line) continue;
    const seq = readSeq(line);
    if (seq > seen.lastSeq) seen.lastSeq = seq;
    if (seq > afterSeq) out += `${line}\n`;
    // A result at or before afterSeq is already with the worker: nothing more will come.
    if (isResultLine(line)) {
      done = true;
      break;
    }
  }
  if (out && !process.stdout.write(out)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  if (done) await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return done;
}

/** The log writes `{"seq":N,"type":"...` first, so neither needs a full JSON parse. */
function readSeq(line: string): number {
  const start = line.indexOf(':') + 1;
  return Number.parseInt(line.slice(start, line.indexOf(',', start)), 10);
}

function isResultLine(line: string): boolean {
  return line.slice(0, 64).includes('"type":"mission.result"');
}

async function waitForLog(files: MissionFiles): Promise<boolean> {
  const deadline = Date.now() + LOG_APPEAR_TIMEOUT_MS;
  while (!existsSync(files.events)) {
    if (Date.now() > deadline) return false;
    if (existsSync(files.supervisorPid) && !isSupervisorAlive(files)) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * The supervisor died without writing a result (killed, or the container restarted). With no
 * writer left, the follower appends the terminal event itself; the exclusive `finalized` file
 * keeps two followers from both doing it.
 */
function finalizeLostRunner(files: MissionFiles, missionId: string, lastSeq: number, tornLine: boolean): void {
  try {
    writeFileSync(files.finalized, 'runner_lost', { flag: 'wx' });
  } catch {
    return;
  }
  // A writer killed mid-line leaves a torn line; the result must start on a line of its own.
  if (tornLine) appendFileSync(files.events, '\n');
  const log = new EventLog(files.events, lastSeq + 1);
  log.append('mission.result', {
    outcome: 'runner_lost',
    exitCode: null,
    signal: null,
    message: `the supervisor of mission ${missionId} stopped without a result`,
  });
  log.close();
}
